using SensoClassLink.Core.Configuration;

namespace SensoClassLink.Models;

/// <summary>What New-SensoClassLinkConfiguration wrote: the file and what it describes, safe to show (secrets are references).</summary>
public sealed class ClassLinkConfigurationFile
{
    public ClassLinkConfigurationFile(string path, RosterSourceKind rosterSource, string rosterLocation, SensoProviderKind sensoProvider, string sensoLocation, string statePath, bool connected)
    {
        Path = path;
        RosterSource = rosterSource;
        RosterLocation = rosterLocation;
        SensoProvider = sensoProvider;
        SensoLocation = sensoLocation;
        StatePath = statePath;
        Connected = connected;
    }

    /// <summary>The configuration file written (absolute).</summary>
    public string Path { get; }
    /// <summary>csv or api, as classlink.source says.</summary>
    public RosterSourceKind RosterSource { get; }
    public string RosterLocation { get; }
    /// <summary>local or api, as senso.provider says.</summary>
    public SensoProviderKind SensoProvider { get; }
    public string SensoLocation { get; }
    public string StatePath { get; }

    /// <summary>True when -Connect made it the session's connection.</summary>
    public bool Connected { get; }
}
