using Microsoft.CodeAnalysis.Text;

namespace Processional.Generators.Tests.Infrastructure;

/// <summary>Source with one span marked <c>[|like this|]</c>: where a test expects its diagnostic.</summary>
internal sealed class Markup
{
    private Markup(string source, TextSpan span)
    {
        Source = source;
        Span = span;
    }

    /// <summary>The source without the markers.</summary>
    public string Source { get; }

    /// <summary>The marked span in <see cref="Source"/>.</summary>
    public TextSpan Span { get; }

    /// <summary>The marked span as 0-based lines and columns.</summary>
    public LinePositionSpan LineSpan => SourceText.From(Source).Lines.GetLinePositionSpan(Span);

    public static Markup Parse(string marked)
    {
        var start = marked.IndexOf("[|", StringComparison.Ordinal);
        var end = marked.IndexOf("|]", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "The test source marks no span with [| and |].");
        var source = marked.Remove(end, 2).Remove(start, 2);
        return new Markup(source, TextSpan.FromBounds(start, end - 2));
    }
}
