using Processional.Generators.Helpers;

namespace Processional.Generators.Remote.Models;

/// <summary>
/// One [Remote] interface: everything its generated file (proxy, dispatcher, registration) needs, as strings, enums and
/// <see cref="EquatableArray{T}"/>s, so that the model of an unchanged interface compares equal and its file is not
/// written again.
/// </summary>
/// <param name="HintName">The generated file's name without extension: namespace and containing types (<c>Shop.Outer.ICalculator</c>).</param>
/// <param name="TypeName">The interface, fully qualified (<c>global::Shop.ICalculator</c>).</param>
/// <param name="DisplayName">The interface as comments show it (<c>Shop.ICalculator</c>).</param>
/// <param name="ShortName">The interface's simple name, to name the generated classes.</param>
/// <param name="Members">Its members and its base interfaces' members, own members first, each in declaration order.</param>
/// <param name="ImplementsAsyncDisposable">
/// It extends <c>IAsyncDisposable</c>: the proxy's <c>DisposeAsync</c> releases the proxy, like <c>Dispose</c>.
/// </param>
internal sealed record RemoteInterfaceModel(
    string HintName,
    string TypeName,
    string DisplayName,
    string ShortName,
    EquatableArray<RemoteMemberModel> Members,
    bool ImplementsAsyncDisposable);
