using Microsoft.CodeAnalysis.Text;

namespace Processional.Generators.Tests.Infrastructure;

/// <summary>Source with one or more spans marked <c>[|like this|]</c>: where a test expects its diagnostics, in order.</summary>
internal sealed class MultiMarkup
{
    private MultiMarkup(string source, IReadOnlyList<TextSpan> spans)
    {
        Source = source;
        Spans = spans;
        var text = SourceText.From(source);
        LineSpans = spans.Select(s => text.Lines.GetLinePositionSpan(s)).ToList();
    }

    /// <summary>The source without the markers.</summary>
    public string Source { get; }

    /// <summary>The marked spans in <see cref="Source"/>, in order.</summary>
    public IReadOnlyList<TextSpan> Spans { get; }

    /// <summary>The marked spans as 0-based lines and columns.</summary>
    public IReadOnlyList<LinePositionSpan> LineSpans { get; }

    public static MultiMarkup Parse(string marked)
    {
        var spans = new List<TextSpan>();
        var source = marked;
        while (source.IndexOf("[|", StringComparison.Ordinal) is var start and >= 0)
        {
            var end = source.IndexOf("|]", start, StringComparison.Ordinal);
            Assert.True(end > start, "A [| is not closed by |].");
            source = source.Remove(end, 2).Remove(start, 2);
            spans.Add(TextSpan.FromBounds(start, end - 2));
        }

        Assert.NotEmpty(spans);
        return new MultiMarkup(source, spans);
    }
}
