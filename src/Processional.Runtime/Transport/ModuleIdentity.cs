namespace Processional.Transport;

/// <summary>One assembly of a program: its simple name and the module version id that changes with every build.</summary>
/// <param name="Name">The assembly's simple name, for example <c>MyApp</c>.</param>
/// <param name="ModuleVersionId">The manifest module's <see cref="System.Reflection.Module.ModuleVersionId"/>.</param>
public readonly record struct ModuleIdentity(string Name, Guid ModuleVersionId)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Name} {ModuleVersionId:D}";
}
