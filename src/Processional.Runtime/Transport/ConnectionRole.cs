namespace Processional.Transport;

/// <summary>Which end of a connection this side is. The two ends of one connection always have different roles.</summary>
public enum ConnectionRole
{
    /// <summary>The side that connected.</summary>
    Client,

    /// <summary>The side that listened and accepted.</summary>
    Server,
}
