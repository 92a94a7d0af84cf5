using System.Linq;
using Processional.Generators.Helpers;
using Processional.Generators.Remote.Models;
using Processional.Generators.Remote.Parsing;

namespace Processional.Generators.Remote.Emit;

/// <summary>The proxy: each member begins a call, writes its arguments and sends it.</summary>
internal static partial class RemoteEmitter
{
    private static void EmitProxy(SourceWriter writer, RemoteInterfaceModel model)
    {
        writer.WriteLine("// Calls the members of " + model.DisplayName + " on an object of the peer.");
        writer.WriteLine("file sealed class " + model.ShortName + "Proxy : " + Rpc + "RemoteProxy, " + model.TypeName);
        writer.OpenBlock();
        writer.WriteLine("public " + model.ShortName + "Proxy(" + Rpc + "RpcConnection connection, ulong objectId, bool counted)");
        writer.Indent();
        writer.WriteLine(": base(connection, objectId, counted)");
        writer.Unindent();
        writer.OpenBlock();
        writer.CloseBlock();
        foreach (var member in model.Members)
        {
            writer.WriteLine();
            writer.WriteLine(IdComment(member));
            switch (member.Kind)
            {
                case MemberKind.Method:
                    writer.WriteLine(member.Return.TypeName + " " + member.DeclaringInterface + "." + member.Name + "(" + ParameterList(member) + ")");
                    writer.OpenBlock();
                    EmitProxyBody(writer, member);
                    writer.CloseBlock();
                    break;
                default:
                    writer.WriteLine(member.Return.TypeName + " " + member.DeclaringInterface + "." +
                        (member.Kind == MemberKind.Indexer ? "this[" + ParameterList(member) + "]" : member.Name));
                    writer.OpenBlock();
                    writer.WriteLine("get");
                    writer.OpenBlock();
                    EmitProxyBody(writer, member);
                    writer.CloseBlock();
                    writer.CloseBlock();
                    break;
            }
        }

        if (model.ImplementsAsyncDisposable)
        {
            writer.WriteLine();
            writer.WriteLine("// Like Dispose: releases the peer's object, makes no call.");
            writer.WriteLine("global::System.Threading.Tasks.ValueTask global::System.IAsyncDisposable.DisposeAsync()");
            writer.OpenBlock();
            writer.WriteLine("base.Dispose();");
            writer.WriteLine("return default;");
            writer.CloseBlock();
        }

        writer.CloseBlock();
    }

    private static string ParameterList(RemoteMemberModel member) =>
        string.Join(", ", member.Parameters.Select(static p => (p.IsParams ? "params " : string.Empty) + p.TypeName + " " + p.Name));

    private static void EmitProxyBody(SourceWriter writer, RemoteMemberModel member)
    {
        var token = member.Parameters.FirstOrDefault(static p => p.Kind == ParameterKind.CancellationToken);

        // The call's local must not be named like a parameter.
        var call = "__call";
        while (member.Parameters.Any(p => p.Name.TrimStart('@') == call))
        {
            call += "_";
        }

        writer.WriteLine("var " + call + " = base.BeginCall(" + MethodIds.Literal(member.Id) + (token is null ? string.Empty : ", " + token.Name) + ");");
        foreach (var parameter in member.Parameters)
        {
            switch (parameter.Kind)
            {
                case ParameterKind.Unmanaged:
                    writer.WriteLine(call + ".Writer.WriteUnmanaged(" + parameter.Name + ");");
                    break;
                case ParameterKind.String:
                    writer.WriteLine(call + ".Writer.WriteString(" + parameter.Name + ");");
                    break;
                case ParameterKind.UnmanagedArray:
                    writer.WriteLine(call + ".Writer.WriteUnmanagedArray(" + parameter.Name + ");");
                    break;
                case ParameterKind.Formatter:
                    writer.WriteLine(call + ".Writer.WriteValue<" + parameter.ValueTypeName + ">(" + parameter.Name + ");");
                    break;
                case ParameterKind.Remote:
                    writer.WriteLine(call + ".WriteRemote<" + parameter.ValueTypeName + ">(" + parameter.Name + ");");
                    break;
                case ParameterKind.Progress:
                    writer.WriteLine(call + ".WriteProgress<" + parameter.ValueTypeName + ">(" + parameter.Name + ");");
                    break;
            }
        }

        var result = member.Return;
        var forgive = result.NeedsNullForgiving ? "!" : string.Empty;
        switch (result.Kind)
        {
            case ReturnKind.Void when member.IsOneWay:
                writer.WriteLine(call + ".SendOneWay();");
                break;
            case ReturnKind.Void:
                writer.WriteLine(call + ".Send();");
                break;
            case ReturnKind.Task when member.IsOneWay:
                writer.WriteLine(call + ".SendOneWay();");
                writer.WriteLine("return global::System.Threading.Tasks.Task.CompletedTask;");
                break;
            case ReturnKind.Task:
                writer.WriteLine("return " + call + ".SendAsync().AsTask();");
                break;
            case ReturnKind.ValueTask when member.IsOneWay:
                writer.WriteLine(call + ".SendOneWay();");
                writer.WriteLine("return default;");
                break;
            case ReturnKind.ValueTask:
                writer.WriteLine("return " + call + ".SendAsync();");
                break;
            case ReturnKind.Value when result.IsRemote:
                writer.WriteLine("return " + call + ".SendRemote<" + result.RemoteTypeName + ">()" + forgive + ";");
                break;
            case ReturnKind.Value:
                writer.WriteLine("return " + call + ".Send<" + result.ValueTypeName + ">();");
                break;
            case ReturnKind.TaskOfValue when result.IsRemote:
                writer.WriteLine("return " + call + ".SendRemoteAsync<" + result.RemoteTypeName + ">().AsTask()" + forgive + ";");
                break;
            case ReturnKind.TaskOfValue:
                writer.WriteLine("return " + call + ".SendAsync<" + result.ValueTypeName + ">().AsTask();");
                break;
            case ReturnKind.ValueTaskOfValue when result.IsRemote:
                writer.WriteLine("return " + call + ".SendRemoteAsync<" + result.RemoteTypeName + ">()" + forgive + ";");
                break;
            case ReturnKind.ValueTaskOfValue:
                writer.WriteLine("return " + call + ".SendAsync<" + result.ValueTypeName + ">();");
                break;
            case ReturnKind.Stream:
                writer.WriteLine("return " + call + ".SendStream<" + result.ValueTypeName + ">();");
                break;
        }
    }
}
