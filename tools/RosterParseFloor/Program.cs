using System.Diagnostics;
using System.Text;
using Sylvan.Data.Csv;

// Usage: RosterParseFloor <folder>
// Reads orgs, users, classes and enrollments with the same parser and options as CsvRosterSource and
// materialises every field as a string, doing nothing else: the floor a roster reader cannot beat.
// Prints one JSON line: seconds, rows, peak working set.
if (args.Length != 1 || !Directory.Exists(args[0]))
{
    Console.Error.WriteLine("Usage: RosterParseFloor <OneRoster CSV folder>");
    return 2;
}
var clock = Stopwatch.StartNew();
long rows = 0, chars = 0;
foreach (string file in new[] { "orgs.csv", "users.csv", "classes.csv", "enrollments.csv" })
{
    using var stream = new FileStream(Path.Combine(args[0], file), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
    using var text = new StreamReader(stream, new UTF8Encoding(false), true, 1 << 16);
    using var reader = CsvDataReader.Create(text, new CsvDataReaderOptions { HeaderComparer = StringComparer.Ordinal, BufferSize = 1 << 16, MaxBufferSize = 1 << 24 });
    while (reader.Read())
    {
        rows++;
        for (int i = 0; i < reader.RowFieldCount; i++)
        {
            chars += reader.GetString(i).Length;
        }
    }
}
clock.Stop();
using var self = Process.GetCurrentProcess();
Console.WriteLine($"{{\"seconds\":{clock.Elapsed.TotalSeconds:F3},\"rows\":{rows},\"chars\":{chars},\"peakWorkingSetMB\":{self.PeakWorkingSet64 / 1048576.0:F1}}}");
return 0;
