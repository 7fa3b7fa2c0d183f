using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace SensoClassLink.Core.OneRoster;

/// <summary>
/// One consistent read of a roster for a command that reads it more than once. The first complete enumeration of
/// each collection streams the inner source's records to a private temporary file while yielding them (its
/// warnings and progress reach the inner source's observer as usual); later enumerations replay that file, so a
/// REST roster is pulled once per run and every stage sees the same records. A first read that failed or was not
/// enumerated to its end is discarded and the next read pulls again: a partial file is never served.
/// The files are personal data: they live in a private folder (owner-only on Unix) and are deleted on Dispose;
/// folders left by a killed process are deleted by the next snapshot. Memory does not grow with the roster.
/// </summary>
public sealed class RosterSnapshot : IRosterSource, IRepeatableRosterSource, IRosterSourceWrapper
{
    /// <summary>The prefix of every snapshot folder, followed by the owning process id.</summary>
    internal const string FolderPrefix = "senso-classlink-roster-";

    private const int ProgressEvery = 5000;

    private readonly IRosterSource _inner;
    private readonly RosterReadObserver _observer;
    private readonly Capture<RosterOrg> _orgs;
    private readonly Capture<RosterUser> _users;
    private readonly Capture<RosterClass> _classes;
    private readonly Capture<RosterEnrollment> _enrollments;
    private bool _disposed;

    /// <param name="inner">The source to read once; the snapshot owns it and disposes it.</param>
    /// <param name="observer">Receives progress of replays and diagnostic lines; the inner source reports the first read itself.</param>
    /// <param name="parentDirectory">Where the private folder is made; the system temp directory when null.</param>
    public RosterSnapshot(IRosterSource inner, RosterReadObserver? observer = null, string? parentDirectory = null)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _observer = observer ?? RosterReadObserver.None;
        string parent = parentDirectory ?? Path.GetTempPath();
        DeleteOrphans(parent);
        Folder = CreatePrivateFolder(parent);
        _orgs = new Capture<RosterOrg>(this, "orgs", inner.ReadOrgs, RecordCodec.WriteOrg, RecordCodec.ReadOrg);
        _users = new Capture<RosterUser>(this, "users", inner.ReadUsers, RecordCodec.WriteUser, RecordCodec.ReadUser);
        _classes = new Capture<RosterClass>(this, "classes", inner.ReadClasses, RecordCodec.WriteClass, RecordCodec.ReadClass);
        _enrollments = new Capture<RosterEnrollment>(this, "enrollments", inner.ReadEnrollments, RecordCodec.WriteEnrollment, RecordCodec.ReadEnrollment);
    }

    /// <summary>
    /// The source being snapshotted. Reading it directly bypasses the snapshot: only for queries the snapshot
    /// cannot answer cheaply, such as one teacher's targeted REST reads (<see cref="Rest.ISupportsTeacherScope"/>).
    /// </summary>
    public IRosterSource Source => _inner;

    IRosterSource IRosterSourceWrapper.Inner => _inner;

    /// <summary>The private folder holding the snapshot files (deleted on Dispose).</summary>
    internal string Folder { get; }

    public string Description => _inner.Description;

    public IEnumerable<RosterOrg> ReadOrgs(CancellationToken cancellationToken) => _orgs.Read(cancellationToken);

    public IEnumerable<RosterUser> ReadUsers(CancellationToken cancellationToken) => _users.Read(cancellationToken);

    public IEnumerable<RosterClass> ReadClasses(CancellationToken cancellationToken) => _classes.Read(cancellationToken);

    public IEnumerable<RosterEnrollment> ReadEnrollments(CancellationToken cancellationToken) => _enrollments.Read(cancellationToken);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        try
        {
            _inner.Dispose();
        }
        finally
        {
            DeleteFolder(Folder);
        }
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(RosterSnapshot));
        }
    }

    /// <summary>Makes a fresh folder only its owner can enter (0700 on Unix; the per-user temp folder's ACL on Windows).</summary>
    private static string CreatePrivateFolder(string parent)
    {
        string folder = Path.Combine(parent, FolderPrefix + Process.GetCurrentProcess().Id.ToString(System.Globalization.CultureInfo.InvariantCulture) +
                                             "-" + Guid.NewGuid().ToString("N").Substring(0, 12));
        try
        {
            Directory.CreateDirectory(parent);
            Directory.CreateDirectory(folder);
            OwnerOnlyAccess.Restrict(folder, OwnerOnlyAccess.Folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            DeleteFolder(folder);
            throw new RosterReadException($"Cannot create the private roster snapshot folder '{folder}': {ex.Message}", ex);
        }
        return folder;
    }

    /// <summary>Deletes the snapshot folders of processes that no longer run (a killed run cannot clean up after itself).</summary>
    private static void DeleteOrphans(string parent)
    {
        string[] folders;
        try
        {
            folders = Directory.Exists(parent) ? Directory.GetDirectories(parent, FolderPrefix + "*") : Array.Empty<string>();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (string folder in folders)
        {
            string rest = Path.GetFileName(folder).Substring(FolderPrefix.Length);
            int dash = rest.IndexOf('-');
            if (dash > 0 && int.TryParse(rest.Substring(0, dash), out int pid) && !IsRunning(pid))
            {
                DeleteFolder(folder);
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (Exception)
        {
            return true; // cannot tell: leave it alone
        }
    }

    private static void DeleteFolder(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Another user's folder, or a file still open elsewhere; a later snapshot tries again.
        }
    }

    private static void DeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The folder is deleted on Dispose.
        }
    }

    /// <summary>One collection: pulled from the inner source until one pull completes, then replayed from its file.</summary>
    private sealed class Capture<T>
    {
        private readonly RosterSnapshot _owner;
        private readonly string _name;
        private readonly Func<CancellationToken, IEnumerable<T>> _pull;
        private readonly Action<SnapshotWriter, T> _write;
        private readonly Func<SnapshotReader, T> _read;
        private int _attempts;
        private bool _recording;
        private string? _file;
        private long _count;

        public Capture(RosterSnapshot owner, string name, Func<CancellationToken, IEnumerable<T>> pull,
            Action<SnapshotWriter, T> write, Func<SnapshotReader, T> read)
        {
            _owner = owner;
            _name = name;
            _pull = pull;
            _write = write;
            _read = read;
        }

        /// <summary>Lazy like every source read: what it does is decided when enumeration starts.</summary>
        public IEnumerable<T> Read(CancellationToken ct)
        {
            _owner.ThrowIfDisposed();
            // A read nested inside the recording one is served by the inner source directly.
            var records = _file is not null ? Replay(_file, _count, ct) : _recording ? _pull(ct) : Record(ct);
            foreach (var record in records)
            {
                yield return record;
            }
        }

        private IEnumerable<T> Record(CancellationToken ct)
        {
            _recording = true;
            string path = Path.Combine(_owner.Folder, $"{_name}-{++_attempts}.bin");
            SnapshotWriter? writer = TryCreate(path);
            long count = 0;
            bool finished = false;
            try
            {
                foreach (var record in _pull(ct))
                {
                    if (writer is not null)
                    {
                        try
                        {
                            _write(writer, record);
                        }
                        catch (IOException ex)
                        {
                            // Disk full or similar: this read goes on from the source, and the next read pulls again.
                            Abandon(ref writer, path, ex);
                        }
                    }
                    count++;
                    yield return record;
                }
                finished = true;
            }
            finally
            {
                _recording = false;
                if (writer is not null)
                {
                    if (finished)
                    {
                        try
                        {
                            writer.Dispose();
                            _file = path;
                            _count = count;
                            _owner._observer.Verbose?.Invoke($"Roster snapshot: {count:N0} {_name} kept for later reads in this run.");
                        }
                        catch (IOException ex)
                        {
                            Abandon(ref writer, path, ex);
                        }
                    }
                    else
                    {
                        // Failed or stopped early: never serve a partial collection.
                        Abandon(ref writer, path, null);
                    }
                }
            }
        }

        private SnapshotWriter? TryCreate(string path)
        {
            FileStream? stream = null;
            try
            {
                stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16);
                OwnerOnlyAccess.Restrict(path, OwnerOnlyAccess.File);
                return new SnapshotWriter(stream);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                stream?.Dispose();
                DeleteFile(path);
                _owner._observer.Verbose?.Invoke($"Roster snapshot: cannot write '{path}' ({ex.Message}); {_name} are read from the source each time.");
                return null;
            }
        }

        private void Abandon(ref SnapshotWriter? writer, string path, Exception? because)
        {
            try
            {
                writer?.Dispose();
            }
            catch (IOException)
            {
                // Already failing; the file is deleted next.
            }
            writer = null;
            DeleteFile(path);
            if (because is not null)
            {
                _owner._observer.Verbose?.Invoke($"Roster snapshot: writing '{path}' failed ({because.Message}); {_name} will be read from the source again.");
            }
        }

        private IEnumerable<T> Replay(string path, long count, CancellationToken ct)
        {
            var progress = _owner._observer.Progress;
            SnapshotReader reader;
            try
            {
                reader = new SnapshotReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw Damaged(path, 0, ex);
            }
            using (reader)
            {
                for (long i = 0; i < count; i++)
                {
                    if (i % ProgressEvery == 0)
                    {
                        ct.ThrowIfCancellationRequested();
                        if (i > 0)
                        {
                            progress?.Invoke(new RosterReadProgress(_name, i, null, null, count));
                        }
                    }
                    T record;
                    try
                    {
                        record = _read(reader);
                    }
                    catch (Exception ex) when (ex is IOException or FormatException or InvalidDataException)
                    {
                        throw Damaged(path, i, ex);
                    }
                    yield return record;
                }
                if (!reader.AtEnd)
                {
                    throw Damaged(path, count, null);
                }
            }
            progress?.Invoke(new RosterReadProgress(_name, count, null, null, count));
        }

        private RosterReadException Damaged(string path, long record, Exception? inner) =>
            new($"The local roster snapshot '{path}' of {_name} could not be read back at record {record:N0} of {_count:N0}" +
                (inner is null ? " (it is longer than written)" : $" ({inner.Message})") + ". Run again.", inner);
    }
}
