using System.IO;

namespace SensoClassLink.Core.Configuration;

/// <summary>A configuration was to be written where a file exists already, and replacing it was not asked for.</summary>
public sealed class ConfigurationFileExistsException : IOException
{
    public ConfigurationFileExistsException(string path)
        : base($"The configuration file '{path}' exists already; it was left as it is.")
    {
        Path = path;
    }

    public string Path { get; }
}
