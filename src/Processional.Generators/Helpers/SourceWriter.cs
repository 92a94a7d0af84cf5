using System.Text;

namespace Processional.Generators.Helpers;

/// <summary>
/// Writes C# text line by line with indentation. Lines end with <c>\n</c> whatever the platform, so that the output is
/// the same on every machine.
/// </summary>
internal sealed class SourceWriter
{
    private const int IndentSize = 4;

    private readonly StringBuilder _builder;
    private int _indent;

    public SourceWriter(int capacity = 4096)
    {
        _builder = new StringBuilder(capacity);
    }

    /// <summary>Writes one line at the current indentation (an empty line when <paramref name="text"/> is empty).</summary>
    public void WriteLine(string text = "")
    {
        if (text.Length != 0)
        {
            _builder.Append(' ', _indent * IndentSize);
            _builder.Append(text);
        }

        _builder.Append('\n');
    }

    /// <summary>Writes <c>{</c> and indents.</summary>
    public void OpenBlock()
    {
        WriteLine("{");
        _indent++;
    }

    /// <summary>Unindents and writes <c>}</c> followed by <paramref name="suffix"/> (for example <c>;</c>).</summary>
    public void CloseBlock(string suffix = "")
    {
        _indent--;
        WriteLine("}" + suffix);
    }

    public void Indent() => _indent++;

    public void Unindent() => _indent--;

    public override string ToString() => _builder.ToString();
}
