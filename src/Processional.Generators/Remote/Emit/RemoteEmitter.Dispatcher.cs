using System.Linq;
using Processional.Generators.Helpers;
using Processional.Generators.Remote.Models;
using Processional.Generators.Remote.Parsing;

namespace Processional.Generators.Remote.Emit;

/// <summary>The dispatcher: reads a request's arguments, calls the member, hands the outcome to the request.</summary>
internal static partial class RemoteEmitter
{
    private static void EmitDispatcher(SourceWriter writer, RemoteInterfaceModel model)
    {
        writer.WriteLine("// Calls the members of " + model.DisplayName + " on this side's object for requests of the peer.");
        writer.WriteLine("file sealed class " + model.ShortName + "Dispatcher : " + Rpc + "RemoteDispatcher");
        writer.OpenBlock();
        writer.WriteLine("public override bool TryDispatch(object target, ref " + Rpc + "RpcRequest request)");
        writer.OpenBlock();
        writer.WriteLine("switch (request.MethodId)");
        writer.OpenBlock();
        foreach (var member in model.Members)
        {
            writer.WriteLine(IdComment(member));
            writer.WriteLine("case " + MethodIds.Literal(member.Id) + ":");
            writer.OpenBlock();
            EmitDispatch(writer, member);
            writer.WriteLine("return true;");
            writer.CloseBlock();
            writer.WriteLine();
        }

        writer.WriteLine("default:");
        writer.Indent();
        writer.WriteLine("return false;");
        writer.Unindent();
        writer.CloseBlock();
        writer.CloseBlock();
        writer.CloseBlock();
    }

    private static void EmitDispatch(SourceWriter writer, RemoteMemberModel member)
    {
        var read = false;
        foreach (var parameter in member.Parameters)
        {
            var forgive = parameter.NeedsNullForgiving ? "!" : string.Empty;
            var reader = parameter.Kind switch
            {
                ParameterKind.Unmanaged => "request.Reader.ReadUnmanaged<" + parameter.ValueTypeName + ">()",
                ParameterKind.String => "request.Reader.ReadString()" + forgive,
                ParameterKind.UnmanagedArray => "request.Reader.ReadUnmanagedArray<" + parameter.ValueTypeName + ">()" + forgive,
                ParameterKind.Formatter => "request.Reader.ReadValue<" + parameter.ValueTypeName + ">()" + forgive,
                ParameterKind.Remote => "request.ReadRemote<" + parameter.ValueTypeName + ">()" + forgive,
                ParameterKind.Progress => "request.ReadProgress<" + parameter.ValueTypeName + ">()" + forgive,
                _ => null,
            };

            if (reader is not null)
            {
                writer.WriteLine("var " + LocalName(parameter) + " = " + reader + ";");
                read = true;
            }
        }

        if (read)
        {
            // The arguments' buffer goes back to the pool before the method runs, however long it takes.
            writer.WriteLine("request.EndArguments();");
        }

        var arguments = string.Join(", ", member.Parameters.Select(static p =>
            p.Kind == ParameterKind.CancellationToken ? "request.CancellationToken" : LocalName(p)));
        var target = "((" + member.DeclaringInterface + ")target)";
        var call = member.Kind switch
        {
            MemberKind.Method => target + "." + member.Name + "(" + arguments + ")",
            MemberKind.Property => target + "." + member.Name,
            _ => target + "[" + arguments + "]",
        };

        var result = member.Return;
        var forgiveTask = result.NeedsNullForgiving ? "!" : string.Empty;
        switch (result.Kind)
        {
            case ReturnKind.Void:
                writer.WriteLine(call + ";");
                writer.WriteLine("request.Complete();");
                break;
            case ReturnKind.Task or ReturnKind.ValueTask:
                writer.WriteLine("request.Complete(" + call + ");");
                break;
            case ReturnKind.Value when result.IsRemote:
                writer.WriteLine("request.CompleteRemote<" + result.RemoteTypeName + ">(" + call + ");");
                break;
            case ReturnKind.TaskOfValue or ReturnKind.ValueTaskOfValue when result.IsRemote:
                writer.WriteLine("request.CompleteRemote<" + result.RemoteTypeName + ">(" + call + forgiveTask + ");");
                break;
            case ReturnKind.Stream:
                writer.WriteLine("request.CompleteStream<" + result.ValueTypeName + ">(" + call + ");");
                break;
            default:
                writer.WriteLine("request.Complete<" + result.ValueTypeName + ">(" + call + ");");
                break;
        }
    }
}
