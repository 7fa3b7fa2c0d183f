using System.Collections.Concurrent;

namespace SensoClassLink.Core.OneRoster;

/// <summary>
/// A diagnostic counter of how often each roster CSV file was opened in this process, by full name (a zip's entry as
/// "zip!file"). It exists so tests can prove what a user would notice: that a command reads each file once.
/// </summary>
public static class CsvFileOpens
{
    private static readonly ConcurrentDictionary<string, int> Opens = new(System.StringComparer.Ordinal);

    /// <summary>How many times <paramref name="name"/> (as <see cref="CsvRosterSource"/> names it: folder path + file) was opened.</summary>
    public static int Count(string name) => Opens.TryGetValue(name, out int count) ? count : 0;

    internal static void Record(string name) => Opens.AddOrUpdate(name, 1, (_, count) => count + 1);
}
