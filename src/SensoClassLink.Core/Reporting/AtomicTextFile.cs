using System;
using System.IO;
using System.Text;

namespace SensoClassLink.Core.Reporting;

/// <summary>
/// Writes a text file that appears whole or not at all: written to a temporary file beside it, flushed to disk,
/// then renamed over it, so a reader (or a crash) never sees half a report.
/// </summary>
public static class AtomicTextFile
{
    /// <summary>Writes <paramref name="path"/> as UTF-8 without a byte order mark through <paramref name="write"/>.</summary>
    public static void Write(string path, Action<TextWriter> write)
    {
        string full = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
                {
                    write(writer);
                    writer.Flush();
                    stream.Flush(true);
                }
            }
            if (File.Exists(full))
            {
                File.Replace(temp, full, null);
            }
            else
            {
                File.Move(temp, full);
            }
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
