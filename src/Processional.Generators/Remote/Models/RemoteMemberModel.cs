using Processional.Generators.Helpers;

namespace Processional.Generators.Remote.Models;

/// <summary>One member of a [Remote] interface (or of one of its base interfaces) that the proxy implements and the dispatcher dispatches.</summary>
/// <param name="Kind">Method, get-only property or get-only indexer.</param>
/// <param name="DeclaringInterface">The interface that declares the member, fully qualified: the proxy implements it explicitly.</param>
/// <param name="Name">The member's name as C# code writes it (empty for an indexer).</param>
/// <param name="Signature">The canonical signature its id is the hash of (see <see cref="Parsing.MethodIds"/>).</param>
/// <param name="Id">The method id: FNV-1a (32 bits) of the UTF-8 bytes of <paramref name="Signature"/>.</param>
/// <param name="Return">What it returns.</param>
/// <param name="Parameters">Its parameters in declaration order.</param>
/// <param name="IsOneWay">Marked <c>[OneWay]</c>: sent without waiting for a reply.</param>
internal sealed record RemoteMemberModel(
    MemberKind Kind,
    string DeclaringInterface,
    string Name,
    string Signature,
    uint Id,
    RemoteReturnModel Return,
    EquatableArray<RemoteParameterModel> Parameters,
    bool IsOneWay);
