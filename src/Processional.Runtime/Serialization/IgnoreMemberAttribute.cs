namespace Processional.Serialization;

/// <summary>Leaves a public field or property out of the generated formatter: it is neither written nor read.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = true, AllowMultiple = false)]
public sealed class IgnoreMemberAttribute : Attribute
{
}
