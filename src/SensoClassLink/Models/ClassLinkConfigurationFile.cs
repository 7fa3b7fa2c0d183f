namespace SensoClassLink.Models;

/// <summary>What New-SensoClassLinkConfiguration wrote: the file and what it describes, safe to show (secrets are references).</summary>
public sealed class ClassLinkConfigurationFile
{
    public ClassLinkConfigurationFile(string path, string rosterSource, string rosterLocation, string sensoProvider, string sensoLocation, string statePath, bool connected)
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
    public string RosterSource { get; }
    public string RosterLocation { get; }
    public string SensoProvider { get; }
    public string SensoLocation { get; }
    public string StatePath { get; }

    /// <summary>True when -Connect made it the session's connection.</summary>
    public bool Connected { get; }
}
