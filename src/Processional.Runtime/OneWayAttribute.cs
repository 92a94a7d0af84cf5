namespace Processional;

/// <summary>
/// Makes a method of a <see cref="RemoteAttribute">[Remote]</see> interface fire-and-forget: the call returns as soon as
/// it is sent, no reply comes back, and an exception thrown remotely is reported on the remote side only (through
/// <see cref="UnobservedExceptions"/>). Only for methods returning <see langword="void"/>, <see cref="Task"/> or
/// <see cref="ValueTask"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class OneWayAttribute : Attribute
{
}
