using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace SensoClassLink.Core.OneRoster;

/// <summary>Caps that stop a hostile or broken zip from filling memory or running for ever.</summary>
public sealed class CsvArchiveLimits
{
    public static readonly CsvArchiveLimits Default = new();

    /// <summary>Largest uncompressed size allowed for one entry (default 16 GiB).</summary>
    public long MaxEntryBytes { get; init; } = 16L * 1024 * 1024 * 1024;

    /// <summary>
    /// Largest uncompressed/compressed ratio allowed for one entry (default 200). Real OneRoster CSV
    /// compresses 5-20x; zip bombs are in the thousands.
    /// </summary>
    public double MaxCompressionRatio { get; init; } = 200;

    /// <summary>Entries smaller than this are never judged by ratio (tiny files compress oddly).</summary>
    public long RatioCheckThresholdBytes { get; init; } = 1024 * 1024;
}

/// <summary>The set of CSV files of one export: a folder, or a zip read in place.</summary>
internal abstract class CsvFileSet : IDisposable
{
    public abstract string Description { get; }

    /// <summary>How to name a file of this set in messages.</summary>
    public abstract string Name(string fileName);

    public abstract bool Exists(string fileName);

    /// <summary>Opens a file for streaming; <paramref name="length"/> is its (uncompressed) size when known.</summary>
    public abstract Stream Open(string fileName, out long length);

    public virtual void Dispose()
    {
    }

    public static CsvFileSet Open(string path, CsvArchiveLimits limits)
    {
        if (Directory.Exists(path))
        {
            return new FolderFileSet(path);
        }
        if (File.Exists(path))
        {
            return new ZipFileSet(path, limits);
        }
        throw new RosterReadException($"The OneRoster CSV path '{path}' is neither a folder nor a .zip file.");
    }
}

internal sealed class FolderFileSet : CsvFileSet
{
    private readonly string _folder;

    public FolderFileSet(string folder) => _folder = Path.GetFullPath(folder);

    public override string Description => $"OneRoster CSV folder '{_folder}'";

    public override string Name(string fileName) => Path.Combine(_folder, fileName);

    public override bool Exists(string fileName) => File.Exists(Path.Combine(_folder, fileName));

    public override Stream Open(string fileName, out long length)
    {
        CsvFileOpens.Record(Name(fileName));
        var stream = new FileStream(Path.Combine(_folder, fileName), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        length = stream.Length;
        return stream;
    }
}

/// <summary>
/// A OneRoster zip read in place: entries are decompressed as streams and never written to disk, and an
/// entry's name is only ever compared with the expected file names, never used as a path. The CSV files sit at
/// the root of the archive or, when the root holds none, all inside exactly one top folder (what zipping the
/// export's folder gives); any other layout is refused with a list of what the archive holds. Entries whose names
/// are not plain file names there (deeper folders, "../x", absolute paths) are ignored.
/// </summary>
internal sealed class ZipFileSet : CsvFileSet
{
    private static readonly char[] Separators = { '/', '\\' };

    private readonly string _zipPath;
    private readonly CsvArchiveLimits _limits;
    private readonly FileStream _file;
    private readonly ZipArchive _archive;
    private readonly Dictionary<string, ZipArchiveEntry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _ambiguous = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>"" for files at the root, else the top folder and a slash.</summary>
    private readonly string _folder = "";

    public ZipFileSet(string zipPath, CsvArchiveLimits limits)
    {
        _zipPath = Path.GetFullPath(zipPath);
        _limits = limits;
        _file = new FileStream(_zipPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            _archive = new ZipArchive(_file, ZipArchiveMode.Read, leaveOpen: true);
            var root = new List<(string Name, ZipArchiveEntry Entry)>();
            var folders = new Dictionary<string, List<(string Name, ZipArchiveEntry Entry)>>(StringComparer.Ordinal);
            var filesUnder = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var entry in _archive.Entries)
            {
                string[] parts = entry.FullName.Split(Separators);
                if (parts.Length == 1)
                {
                    if (IsPlainName(parts[0]))
                    {
                        root.Add((parts[0], entry));
                    }
                    continue;
                }
                if (!IsPlainName(parts[0]) || parts[0] == "__MACOSX")
                {
                    continue; // traversal, absolute paths, and the resource forks macOS adds
                }
                // A name ending in a separator is a folder entry, not a file.
                filesUnder.TryGetValue(parts[0], out int files);
                filesUnder[parts[0]] = files + (parts[parts.Length - 1].Length > 0 ? 1 : 0);
                if (parts.Length == 2 && IsPlainName(parts[1]))
                {
                    if (!folders.TryGetValue(parts[0], out var inside))
                    {
                        folders.Add(parts[0], inside = new List<(string, ZipArchiveEntry)>());
                    }
                    inside.Add((parts[1], entry));
                }
            }

            var chosen = root;
            if (!root.Any(e => IsCsv(e.Name)))
            {
                var withCsv = folders.Where(f => f.Value.Any(e => IsCsv(e.Name))).ToList();
                if (withCsv.Count != 1 || filesUnder.Count != 1)
                {
                    throw new RosterReadException(
                        $"The zip '{_zipPath}' holds no OneRoster CSV files at its root or inside one top folder: it holds {Contents(root, filesUnder)}. " +
                        "Zip the export's CSV files themselves, or the one folder that holds them.");
                }
                _folder = withCsv[0].Key + "/";
                chosen = withCsv[0].Value;
            }
            foreach (var (name, entry) in chosen)
            {
                if (_entries.ContainsKey(name))
                {
                    _ambiguous.Add(name);
                }
                _entries[name] = entry;
            }
        }
        catch (InvalidDataException ex)
        {
            _file.Dispose();
            throw new RosterReadException($"'{_zipPath}' is not a readable zip file: {ex.Message}", ex);
        }
        catch
        {
            _file.Dispose();
            throw;
        }
    }

    /// <summary>No separators, no drive letters, nothing relative.</summary>
    private static bool IsPlainName(string name) => name.Length > 0 && name.IndexOf(':') < 0 && name != "." && name != "..";

    private static bool IsCsv(string name) => name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);

    /// <summary>What the archive holds, for the layout error: root files and top folders, the first ten of them.</summary>
    private static string Contents(List<(string Name, ZipArchiveEntry Entry)> root, SortedDictionary<string, int> folders)
    {
        var items = folders.Select(f => $"the folder '{f.Key}/' ({f.Value} file{(f.Value == 1 ? "" : "s")})")
            .Concat(root.Select(r => $"'{r.Name}'")).ToList();
        if (items.Count == 0)
        {
            return "nothing";
        }
        string shown = string.Join(", ", items.Take(10));
        return items.Count > 10 ? $"{shown} and {items.Count - 10} more" : shown;
    }

    public override string Description => $"OneRoster CSV zip '{_zipPath}'";

    public override string Name(string fileName) => $"{_zipPath}!{_folder}{fileName}";

    public override bool Exists(string fileName) => _entries.ContainsKey(fileName);

    public override Stream Open(string fileName, out long length)
    {
        if (_ambiguous.Contains(fileName))
        {
            throw new RosterReadException($"The zip '{_zipPath}' holds '{fileName}' more than once; it cannot tell which to read.");
        }
        var entry = _entries[fileName];
        length = entry.Length;
        if (entry.Length > _limits.MaxEntryBytes)
        {
            throw new RosterReadException(
                $"'{Name(fileName)}' would expand to {entry.Length:N0} bytes, more than the limit of {_limits.MaxEntryBytes:N0}; the zip is refused.");
        }
        if (entry.Length > _limits.RatioCheckThresholdBytes && entry.Length > _limits.MaxCompressionRatio * Math.Max(1, entry.CompressedLength))
        {
            throw new RosterReadException(
                $"'{Name(fileName)}' expands {entry.Length / (double)Math.Max(1, entry.CompressedLength):N0} times, more than the limit of {_limits.MaxCompressionRatio:N0}; the zip is refused as a possible zip bomb.");
        }
        // The declared sizes can lie: the guard counts what really comes out of the decompressor.
        CsvFileOpens.Record(Name(fileName));
        return new ExpansionGuardStream(entry.Open(), Name(fileName), entry.CompressedLength, _limits);
    }

    public override void Dispose()
    {
        _archive.Dispose();
        _file.Dispose();
    }
}

/// <summary>Counts decompressed bytes and stops the read when they pass the size or ratio cap.</summary>
internal sealed class ExpansionGuardStream : ReadOnlyForwardingStream
{
    private readonly string _name;
    private readonly long _compressedLength;
    private readonly CsvArchiveLimits _limits;
    private long _read;

    public ExpansionGuardStream(Stream inner, string name, long compressedLength, CsvArchiveLimits limits)
        : base(inner)
    {
        _name = name;
        _compressedLength = Math.Max(1, compressedLength);
        _limits = limits;
    }

    public long BytesRead => _read;

    public override int Read(byte[] buffer, int offset, int count)
    {
        int n = Inner.Read(buffer, offset, count);
        _read += n;
        if (_read > _limits.MaxEntryBytes)
        {
            throw new RosterReadException($"'{_name}' expands past the limit of {_limits.MaxEntryBytes:N0} bytes; the zip is refused.");
        }
        if (_read > _limits.RatioCheckThresholdBytes && _read > _limits.MaxCompressionRatio * _compressedLength)
        {
            throw new RosterReadException(
                $"'{_name}' expands more than {_limits.MaxCompressionRatio:N0} times its compressed size; the zip is refused as a possible zip bomb.");
        }
        return n;
    }

    public override long Position { get => _read; set => throw new NotSupportedException(); }
}
