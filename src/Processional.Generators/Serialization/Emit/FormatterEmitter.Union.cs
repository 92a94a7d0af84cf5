using System.Globalization;
using Processional.Generators.Helpers;
using Processional.Generators.Serialization.Models;

namespace Processional.Generators.Serialization.Emit;

/// <summary>Unions: a tag, then the concrete value with its own formatter.</summary>
internal static partial class FormatterEmitter
{
    private static void EmitUnion(SourceWriter writer, UnionFormatterModel model)
    {
        var display = Escape(model.DisplayName);
        WriteClassStart(writer, model.ShortName, model.TypeName, model.DisplayName);

        writer.WriteLine(SerializeSignature(model.TypeName + "?"));
        writer.OpenBlock();
        writer.WriteLine("if (value is null)");
        writer.OpenBlock();
        writer.WriteLine("writer.WriteNullUnionHeader();");
        writer.WriteLine("return;");
        writer.CloseBlock();
        writer.WriteLine();

        // The exact runtime type picks the tag, so that a case deriving from another case keeps its own.
        writer.WriteLine("var type = value.GetType();");
        foreach (var unionCase in model.Cases)
        {
            writer.WriteLine("if (type == typeof(" + unionCase.TypeName + "))");
            writer.OpenBlock();
            writer.WriteLine("writer.WriteUnionHeader(" + unionCase.Tag.ToString(CultureInfo.InvariantCulture) + ");");
            writer.WriteLine("writer.WriteValue<" + unionCase.TypeName + ">((" + unionCase.TypeName + ")value);");
            writer.WriteLine("return;");
            writer.CloseBlock();
            writer.WriteLine();
        }

        writer.WriteLine("throw new " + Serialization + "ProcessionalSerializationException($\"{type} is not a known concrete type of " + display +
            ": list it with [Union(tag, typeof(...))] on " + display + ", or declare it in the project that serializes it.\");");
        writer.CloseBlock();
        writer.WriteLine();

        writer.WriteLine(DeserializeSignature(model.TypeName + "?"));
        writer.OpenBlock();
        writer.WriteLine("if (!reader.TryReadUnionHeader(out var tag))");
        writer.OpenBlock();
        writer.WriteLine("value = null;");
        writer.WriteLine("return;");
        writer.CloseBlock();
        writer.WriteLine();
        writer.WriteLine("switch (tag)");
        writer.OpenBlock();
        foreach (var unionCase in model.Cases)
        {
            writer.WriteLine("case " + unionCase.Tag.ToString(CultureInfo.InvariantCulture) + ":");
            writer.OpenBlock();
            writer.WriteLine("var item = default(" + unionCase.TypeName + ");");
            writer.WriteLine("reader.ReadValue<" + unionCase.TypeName + ">(ref item);");
            writer.WriteLine("value = item;");
            writer.WriteLine("return;");
            writer.CloseBlock();
        }

        writer.WriteLine("default:");
        writer.Indent();
        writer.WriteLine("reader.ThrowInvalid($\"Union tag {tag} is not a known concrete type of " + display + "\");");
        writer.WriteLine("return;");
        writer.Unindent();
        writer.CloseBlock();
        writer.CloseBlock();

        writer.CloseBlock();
        writer.WriteLine();
    }
}
