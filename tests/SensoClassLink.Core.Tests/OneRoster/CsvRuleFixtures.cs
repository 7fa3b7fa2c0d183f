using System.IO.Compression;

namespace SensoClassLink.Core.Tests.OneRoster;

/// <summary>The committed OneRoster CSV fixtures of tests/data/csv-rules (one folder per reader rule; see its README).</summary>
internal static class CsvRuleFixtures
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "data", "csv-rules");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("tests/data/csv-rules not found above the test assembly.");
    });

    public static string Folder(string name) => Path.Combine(Root.Value, name);

    /// <summary>Zips fixture folders into a temporary zip, each folder's files under the given entry prefix ("" for the root).</summary>
    public static string Zip(TempZips zips, params (string Fixture, string Prefix)[] parts)
    {
        string zip = zips.NewPath();
        using var archive = ZipFile.Open(zip, ZipArchiveMode.Create);
        foreach (var (fixture, prefix) in parts)
        {
            if (prefix.Length > 0)
            {
                archive.CreateEntry(prefix); // the folder entry most zip tools write
            }
            foreach (string file in Directory.GetFiles(Folder(fixture)).Order(StringComparer.Ordinal))
            {
                archive.CreateEntryFromFile(file, prefix + Path.GetFileName(file));
            }
        }
        return zip;
    }
}

/// <summary>Temporary zip paths, deleted on dispose.</summary>
internal sealed class TempZips : IDisposable
{
    private readonly List<string> _paths = new();

    public string NewPath()
    {
        string path = Path.Combine(Path.GetTempPath(), "scl-rules-" + Guid.NewGuid().ToString("N") + ".zip");
        _paths.Add(path);
        return path;
    }

    public void Dispose()
    {
        foreach (string path in _paths)
        {
            File.Delete(path);
        }
    }
}
