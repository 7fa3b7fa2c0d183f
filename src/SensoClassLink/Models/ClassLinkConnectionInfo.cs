using System;
using SensoClassLink.Core.Configuration;

namespace SensoClassLink.Models;

/// <summary>What Connect-SensoClassLink connected to: safe to show, holds no secret.</summary>
public sealed class ClassLinkConnectionInfo
{
    public ClassLinkConnectionInfo(string configPath, RosterSourceKind rosterSource, string rosterLocation, SensoProviderKind sensoProvider, string sensoLocation, string statePath, DateTimeOffset connectedAt)
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
    /// <summary>csv or api, as classlink.source says.</summary>
    public RosterSourceKind RosterSource { get; }
    public string RosterLocation { get; }
    /// <summary>local or api, as senso.provider says.</summary>
    public SensoProviderKind SensoProvider { get; }
    public string SensoLocation { get; }
    public string StatePath { get; }
    public DateTimeOffset ConnectedAt { get; }
}
