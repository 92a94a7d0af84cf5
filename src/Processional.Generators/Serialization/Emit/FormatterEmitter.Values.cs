using Processional.Generators.Helpers;
using Processional.Generators.Serialization.Models;

namespace Processional.Generators.Serialization.Emit;

/// <summary>
/// The code that writes and reads one value of a given shape. Collections written by generated code nest, so their
/// locals carry the nesting depth (<c>__0c</c>, <c>__1c</c>...): a double underscore then a digit, which no member's
/// local (<c>__</c> then the member's name) can be.
/// </summary>
internal static partial class FormatterEmitter
{
    private static void EmitWrite(SourceWriter writer, ValueShape shape, string expression, int depth)
    {
        switch (shape.Kind)
        {
            case ShapeKind.Unmanaged:
                writer.WriteLine("writer.WriteUnmanaged(" + expression + ");");
                return;
            case ShapeKind.String:
                writer.WriteLine("writer.WriteString(" + expression + ");");
                return;
            case ShapeKind.UnmanagedArray:
                writer.WriteLine("writer.WriteUnmanagedArray(" + expression + ");");
                return;
            case ShapeKind.Sequence:
            case ShapeKind.Map:
                EmitWriteCollection(writer, shape, expression, depth);
                return;
            default:
                writer.WriteLine("writer.WriteValue<" + shape.TypeName + ">(" + expression + ");");
                return;
        }
    }

    private static void EmitWriteCollection(SourceWriter writer, ValueShape shape, string expression, int depth)
    {
        var d = depth.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var collection = "__" + d + "c";
        var count = "__" + d + "n";
        var written = "__" + d + "w";
        var item = "__" + d + "i";
        writer.OpenBlock();
        writer.WriteLine("var " + collection + " = " + expression + ";");
        writer.WriteLine("if (" + collection + " is null)");
        writer.OpenBlock();
        writer.WriteLine("writer.WriteNullCollectionHeader();");
        writer.CloseBlock();
        writer.WriteLine("else");
        writer.OpenBlock();
        writer.WriteLine("var " + count + " = global::System.Linq.Enumerable.Count(" + collection + ");");
        writer.WriteLine("writer.WriteCollectionHeader(" + count + ");");
        writer.WriteLine("var " + written + " = 0;");
        writer.WriteLine("foreach (var " + item + " in " + collection + ")");
        writer.OpenBlock();
        if (shape.Kind == ShapeKind.Map)
        {
            EmitWrite(writer, shape.Items[0], item + ".Key", depth + 1);
            EmitWrite(writer, shape.Items[1], item + ".Value", depth + 1);
        }
        else
        {
            EmitWrite(writer, shape.Items[0], item, depth + 1);
        }

        writer.WriteLine(written + "++;");
        writer.CloseBlock();
        writer.WriteLine();

        // A lazy sequence that yields a different number of items the second time would corrupt the output.
        writer.WriteLine("if (" + written + " != " + count + ")");
        writer.OpenBlock();
        writer.WriteLine("throw new " + Serialization + "ProcessionalSerializationException($\"A " + Escape(TypeNameForMessage(shape)) + " counted {" + count + "} items but yielded {" + written + "}: it changed while it was written.\");");
        writer.CloseBlock();
        writer.CloseBlock();
        writer.CloseBlock();
    }

    /// <summary>Reads a value of <paramref name="shape"/> into the existing variable <paramref name="target"/>.</summary>
    private static void EmitReadInto(SourceWriter writer, ValueShape shape, string target, int depth)
    {
        switch (shape.Kind)
        {
            case ShapeKind.Unmanaged:
                writer.WriteLine(target + " = reader.ReadUnmanaged<" + shape.TypeName + ">();");
                return;
            case ShapeKind.String:
                writer.WriteLine(target + " = reader.ReadString();");
                return;
            case ShapeKind.UnmanagedArray:
                writer.WriteLine(target + " = reader.ReadUnmanagedArray<" + shape.Items[0].TypeName + ">();");
                return;
            case ShapeKind.Sequence:
            case ShapeKind.Map:
                EmitReadCollection(writer, shape, target, depth);
                return;
            default:
                writer.WriteLine("reader.ReadValue<" + shape.TypeName + ">(ref " + target + ");");
                return;
        }
    }

    private static void EmitReadCollection(SourceWriter writer, ValueShape shape, string target, int depth)
    {
        var d = depth.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var count = "__" + d + "n";
        var result = "__" + d + "r";
        var index = "__" + d + "j";
        writer.WriteLine("if (reader.TryReadCollectionHeader(out var " + count + "))");
        writer.OpenBlock();
        writer.WriteLine("var " + result + " = new " + shape.ConcreteTypeName + "(" + count + ");");
        writer.WriteLine("for (var " + index + " = 0; " + index + " < " + count + "; " + index + "++)");
        writer.OpenBlock();
        if (shape.Kind == ShapeKind.Map)
        {
            var key = "__" + d + "k";
            var value = "__" + d + "v";
            EmitDeclareAndRead(writer, shape.Items[0], key, depth + 1);
            EmitDeclareAndRead(writer, shape.Items[1], value, depth + 1);
            writer.WriteLine("if (!" + result + ".TryAdd(" + key + Bang(shape.Items[0]) + ", " + value + Bang(shape.Items[1]) + "))");
            writer.OpenBlock();
            writer.WriteLine("reader.ThrowInvalid(\"A " + Escape(TypeNameForMessage(shape)) + " holds the same key twice\");");
            writer.WriteLine("return;");
            writer.CloseBlock();
        }
        else
        {
            var item = "__" + d + "e";
            EmitDeclareAndRead(writer, shape.Items[0], item, depth + 1);
            writer.WriteLine(result + ".Add(" + item + Bang(shape.Items[0]) + ");");
        }

        writer.CloseBlock();
        writer.WriteLine();
        writer.WriteLine(target + " = " + result + ";");
        writer.CloseBlock();
    }

    private static void EmitDeclareAndRead(SourceWriter writer, ValueShape shape, string local, int depth)
    {
        switch (shape.Kind)
        {
            case ShapeKind.Unmanaged:
                writer.WriteLine("var " + local + " = reader.ReadUnmanaged<" + shape.TypeName + ">();");
                return;
            case ShapeKind.String:
                writer.WriteLine("var " + local + " = reader.ReadString();");
                return;
            case ShapeKind.UnmanagedArray:
                writer.WriteLine("var " + local + " = reader.ReadUnmanagedArray<" + shape.Items[0].TypeName + ">();");
                return;
            default:
                writer.WriteLine("var " + local + " = default(" + shape.TypeName + ");");
                EmitReadInto(writer, shape, local, depth);
                return;
        }
    }

    private static string Bang(ValueShape shape) => shape.IsValueType ? string.Empty : "!";

    private static string TypeNameForMessage(ValueShape shape) => shape.TypeName.Replace("global::", string.Empty);
}
