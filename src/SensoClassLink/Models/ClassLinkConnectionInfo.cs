using System;

namespace SensoClassLink.Models;

/// <summary>What Connect-SensoClassLink connected to: safe to show, holds no secret.</summary>
public sealed class ClassLinkConnectionInfo
{
    public ClassLinkConnectionInfo(string configPath, string rosterSource, string rosterLocation, string sensoProvider, string sensoLocation, string statePath, DateTimeOffset connectedAt)
    {
        ConfigPath = configPath;
        RosterSource = rosterSource;
        RosterLocation = rosterLocation;
        SensoProvider = sensoProvider;
        SensoLocation = sensoLocation;
        StatePath = statePath;
        ConnectedAt = connectedAt;
    }

    public string ConfigPath { get; }
    public string RosterSource { get; }
    public string RosterLocation { get; }
    public string SensoProvider { get; }
    public string SensoLocation { get; }
    public string StatePath { get; }
    public DateTimeOffset ConnectedAt { get; }
}
