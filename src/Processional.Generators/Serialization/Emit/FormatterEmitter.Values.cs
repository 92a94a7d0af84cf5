using Processional.Generators.Helpers;
using Processional.Generators.Serialization.Models;

namespace Processional.Generators.Serialization.Emit;

/// <summary>The code that writes and reads one value of a given shape.</summary>
internal static partial class FormatterEmitter
{
    private static void EmitWrite(SourceWriter writer, ValueShape shape, string expression)
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
            default:
                writer.WriteLine("writer.WriteValue<" + shape.TypeName + ">(" + expression + ");");
                return;
        }
    }

    /// <summary>Reads a value of <paramref name="shape"/> into the existing variable <paramref name="target"/>.</summary>
    private static void EmitReadInto(SourceWriter writer, ValueShape shape, string target)
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
                writer.WriteLine(target + " = reader.ReadUnmanagedArray<" + shape.ElementTypeName + ">();");
                return;
            default:
                writer.WriteLine("reader.ReadValue<" + shape.TypeName + ">(ref " + target + ");");
                return;
        }
    }
}
