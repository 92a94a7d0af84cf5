namespace Processional.Generators.Serialization.Models;

/// <summary>
/// A type that a root needs serialized, by its documentation-comment reference id (<c>T:Shop.Box{System.Int32}</c>):
/// a string, so that it compares by value, and enough to find the type again in the compilation that the walk runs on.
/// </summary>
/// <param name="TypeReferenceId">The id from <c>DocumentationCommentId.CreateReferenceId</c>.</param>
internal sealed record RootModel(string TypeReferenceId);
