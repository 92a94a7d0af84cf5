using System.Collections.Generic;
using System.Globalization;
using Processional.Generators.Helpers;
using Processional.Generators.Serialization.Models;

namespace Processional.Generators.Serialization.Emit;

/// <summary>Objects: classes, structs and records.</summary>
internal static partial class FormatterEmitter
{
    private static void EmitObject(SourceWriter writer, ObjectFormatterModel model)
    {
        var valueType = model.IsValueType ? model.TypeName : model.TypeName + "?";
        WriteClassStart(writer, model.ShortName, model.TypeName, model.DisplayName);

        writer.WriteLine(SerializeSignature(valueType));
        writer.OpenBlock();
        EmitObjectSerialize(writer, model);
        writer.CloseBlock();
        writer.WriteLine();

        writer.WriteLine(DeserializeSignature(valueType));
        writer.OpenBlock();
        EmitObjectDeserialize(writer, model);
        writer.CloseBlock();

        writer.CloseBlock();
        writer.WriteLine();
    }

    private static void EmitObjectSerialize(SourceWriter writer, ObjectFormatterModel model)
    {
        if (!model.IsValueType)
        {
            writer.WriteLine("if (value is null)");
            writer.OpenBlock();
            writer.WriteLine("writer.WriteNullObjectHeader();");
            writer.WriteLine("return;");
            writer.CloseBlock();
            writer.WriteLine();
        }

        if (model.IsVersionTolerant)
        {
            writer.WriteLine("var members = " + Serialization + "VersionTolerantMembers.Rent(writer.Options, writer.Depth);");
            foreach (var member in model.Members)
            {
                writer.WriteLine("members.Write<" + member.Shape.TypeName + ">(value." + member.Name + ");");
            }

            writer.WriteLine("members.WriteTo(ref writer);");
            return;
        }

        writer.WriteLine("writer.WriteObjectHeader(" + Count(model.Members.Count) + ");");
        foreach (var member in model.Members)
        {
            EmitWrite(writer, member.Shape, "value." + member.Name);
        }
    }

    private static void EmitObjectDeserialize(SourceWriter writer, ObjectFormatterModel model)
    {
        var members = model.Members;
        var display = Escape(model.DisplayName);
        writer.WriteLine("if (!reader.TryReadObjectHeader(out var count))");
        writer.OpenBlock();
        if (model.IsValueType)
        {
            writer.WriteLine("reader.ThrowInvalid(\"" + display + " is a struct, but the input holds a null object\");");
        }
        else
        {
            writer.WriteLine("value = null;");
        }

        writer.WriteLine("return;");
        writer.CloseBlock();
        writer.WriteLine();

        if (model.IsVersionTolerant)
        {
            // Every member's length comes first; members this version does not know are skipped.
            writer.WriteLine("global::System.Span<int> lengths = stackalloc int[count];");
            writer.WriteLine("for (var i = 0; i < count; i++)");
            writer.OpenBlock();
            writer.WriteLine("lengths[i] = reader.ReadVarIntInt32();");
            writer.WriteLine("if (lengths[i] < 0)");
            writer.OpenBlock();
            writer.WriteLine("reader.ThrowInvalid($\"Member {i} of " + display + " has the negative length {lengths[i]}\");");
            writer.WriteLine("return;");
            writer.CloseBlock();
            writer.CloseBlock();
        }
        else
        {
            // Fewer members than this version knows is an older writer: the rest keep their defaults.
            writer.WriteLine("if (count > " + Count(members.Count) + ")");
            writer.OpenBlock();
            writer.WriteLine("reader.ThrowInvalid($\"" + display + " has " + Count(members.Count) + (members.Count == 1 ? " member" : " members") + ", but the input holds {count}\");");
            writer.WriteLine("return;");
            writer.CloseBlock();
        }

        if (members.Count > 0)
        {
            writer.WriteLine();
        }

        foreach (var member in members)
        {
            writer.WriteLine("var " + member.LocalName + " = default(" + member.Shape.TypeName + ");");
        }

        for (var i = 0; i < members.Count; i++)
        {
            var member = members[i];
            writer.WriteLine();
            writer.WriteLine("if (count > " + Count(i) + ")");
            writer.OpenBlock();
            if (model.IsVersionTolerant)
            {
                writer.WriteLine("var start = reader.Consumed;");
                EmitReadInto(writer, member.Shape, member.LocalName);
                writer.WriteLine("if (reader.Consumed - start != lengths[" + Count(i) + "])");
                writer.OpenBlock();
                writer.WriteLine("reader.ThrowInvalid($\"Member " + member.Name.TrimStart('@') + " of " + display + " took {reader.Consumed - start} bytes, but its length says {lengths[" + Count(i) + "]}\");");
                writer.WriteLine("return;");
                writer.CloseBlock();
            }
            else
            {
                EmitReadInto(writer, member.Shape, member.LocalName);
            }

            writer.CloseBlock();
        }

        if (model.IsVersionTolerant)
        {
            writer.WriteLine();
            writer.WriteLine("for (var i = " + Count(members.Count) + "; i < count; i++)");
            writer.OpenBlock();
            writer.WriteLine("reader.Skip(lengths[i]);");
            writer.CloseBlock();
        }

        writer.WriteLine();
        EmitConstruction(writer, model);
        EmitPopulation(writer, model);
    }

    private static void EmitConstruction(SourceWriter writer, ObjectFormatterModel model)
    {
        var arguments = new List<string>();
        foreach (var argument in model.Construction.Arguments)
        {
            arguments.Add(argument.ParameterName + ": " + argument.LocalName + (argument.IsValueType ? string.Empty : "!"));
        }

        var initializers = new List<string>();
        foreach (var member in model.Members)
        {
            if (member.InInitializer)
            {
                initializers.Add(member.Name + " = " + member.LocalName + (member.Shape.IsValueType ? string.Empty : "!") + ",");
            }
        }

        foreach (var name in model.Construction.DefaultedRequiredMembers)
        {
            initializers.Add(name + " = default!,");
        }

        var creation = "value = new " + model.TypeName + "(" + string.Join(", ", arguments) + ")";
        if (initializers.Count == 0)
        {
            writer.WriteLine(creation + ";");
            return;
        }

        writer.WriteLine(creation);
        writer.OpenBlock();
        foreach (var initializer in initializers)
        {
            writer.WriteLine(initializer);
        }

        writer.CloseBlock(";");
    }

    /// <summary>Fills get-only collection properties with the items read: they cannot be assigned.</summary>
    private static void EmitPopulation(SourceWriter writer, ObjectFormatterModel model)
    {
        foreach (var member in model.Members)
        {
            if (member.PopulateItemTypeName is not { } itemType)
            {
                continue;
            }

            writer.WriteLine();
            writer.WriteLine("if (" + member.LocalName + " is not null && value." + member.Name + " is global::System.Collections.Generic.ICollection<" + itemType + "> __0t)");
            writer.OpenBlock();
            writer.WriteLine("__0t.Clear();");
            writer.WriteLine("foreach (var __0i in " + member.LocalName + ")");
            writer.OpenBlock();
            writer.WriteLine("__0t.Add(__0i);");
            writer.CloseBlock();
            writer.CloseBlock();
        }
    }

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
}
