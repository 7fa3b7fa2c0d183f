using System;

namespace SensoClassLink.Session;

/// <summary>A command ran in a runspace that Disconnect-SensoClassLink disconnected, and it has not connected since.</summary>
public sealed class NotConnectedException : InvalidOperationException
{
    public const string RecommendedAction = "Run Connect-SensoClassLink (with -ConfigPath, or with $env:SENSOCLASSLINK_CONFIG set) and run the command again.";

    public NotConnectedException()
        : base("Not connected: Disconnect-SensoClassLink closed this session's connection, and SensoClassLink commands do not connect on their own after it. Run Connect-SensoClassLink first.")
    {
    }
}
