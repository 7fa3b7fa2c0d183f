using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;

namespace SensoClassLink.Core.Sqlite;

/// <summary>
/// Tells whether a file would live on a network file system (an SMB/CIFS or NFS share, a UNC path), where SQLite's
/// WAL journal is unsafe: WAL keeps its index in shared memory (the -shm file mapped by every process), which network
/// file systems do not keep coherent between machines, and their byte-range locks are unreliable.
/// </summary>
/// <remarks>
/// The rules (UNC recognition, mount-table parsing, longest mount point, which file system types are network ones) are
/// pure and tested with fixtures; <see cref="Detect"/> asks the platform: statfs f_type and the mount table on Linux,
/// statfs f_fstypename on macOS, GetDriveType on Windows. A path that does not exist yet is judged by its nearest
/// existing parent folder, which is where the file would be created.
/// </remarks>
public static class NetworkFileSystemDetector
{
    /// <summary>Mount-table and macOS file system type names of network file systems (compared case-insensitively).</summary>
    private static readonly HashSet<string> NetworkTypeNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "cifs", "smb3", "smb2", "smbfs", "nfs", "nfs4", "afpfs", "webdav", "davfs", "fuse.davfs2", "afs", "ncpfs",
        "ceph", "glusterfs", "fuse.glusterfs", "fuse.sshfs", "9p",
    };

    /// <summary>Linux statfs f_type magic numbers (linux/magic.h) of network file systems.</summary>
    private static readonly Dictionary<uint, string> LinuxNetworkMagic = new()
    {
        [0x517B] = "smb",
        [0xFE534D42] = "smb2",
        [0xFF534D42] = "cifs",
        [0x6969] = "nfs",
        [0x5346414F] = "afs",
        [0x564C] = "ncpfs",
        [0x00C36400] = "ceph",
        [0x01021997] = "9p",
    };

    /// <summary>Where a path is judged to be on a network file system, or null when it is local (or cannot be told).</summary>
    public static NetworkLocation? Detect(string path)
    {
        NetworkLocation? unc = DetectUncPath(path);
        if (unc is not null)
        {
            return unc;
        }
        string fullPath = Path.GetFullPath(path);
        string? existing = NearestExistingDirectory(fullPath);
        if (existing is null)
        {
            return null;
        }
        try
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return DetectWindows(existing);
            }
            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            {
                return DetectMacOS(existing);
            }
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                return DetectLinux(existing);
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or IOException or UnauthorizedAccessException)
        {
            // The platform could not be asked; the file system is then treated as local, as SQLite itself would.
        }
        return null;
    }

    /// <summary>A Windows share path: \\server\share\..., //server/share/... or \\?\UNC\server\share\... (not \\?\C:\ or \\.\ device paths).</summary>
    public static bool IsUncPath(string path)
    {
        if (path is null || path.Length < 5)
        {
            return false;
        }
        string normalized = path.Replace('/', '\\');
        if (normalized.StartsWith(@"\\?\UNC\", StringComparison.OrdinalIgnoreCase) || normalized.StartsWith(@"\\.\UNC\", StringComparison.OrdinalIgnoreCase))
        {
            return HasServerAndShare(normalized.Substring(8));
        }
        if (!normalized.StartsWith(@"\\", StringComparison.Ordinal) || normalized[2] is '\\' or '?' or '.')
        {
            return false;
        }
        return HasServerAndShare(normalized.Substring(2));
    }

    /// <summary>Parses /proc/mounts (or /etc/mtab) text: device, mount point and type per line, with the kernel's octal escapes undone.</summary>
    public static IReadOnlyList<MountEntry> ParseMountTable(string text)
    {
        var entries = new List<MountEntry>();
        foreach (string rawLine in text.Split('\n'))
        {
            string line = rawLine.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            string[] fields = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 3)
            {
                continue;
            }
            entries.Add(new MountEntry(UnescapeMountField(fields[0]), UnescapeMountField(fields[1]), fields[2]));
        }
        return entries;
    }

    /// <summary>
    /// The mount that holds <paramref name="path"/> (absolute, symbolic links resolved): the longest matching mount point,
    /// the later entry winning when one is mounted over another.
    /// </summary>
    public static MountEntry? FindMount(IReadOnlyList<MountEntry> mounts, string path)
    {
        MountEntry? best = null;
        foreach (var mount in mounts)
        {
            if (IsUnder(path, mount.MountPoint) && (best is null || mount.MountPoint.Length >= best.MountPoint.Length))
            {
                best = mount;
            }
        }
        return best;
    }

    /// <summary>True for a mount-table or macOS type name of a network file system (cifs, smb3, nfs4, smbfs, afpfs, webdav, ...).</summary>
    public static bool IsNetworkFileSystemType(string fileSystemType) => NetworkTypeNames.Contains(fileSystemType);

    /// <summary>The name of a Linux statfs f_type magic number when it is a network file system, else null.</summary>
    public static string? LinuxNetworkFileSystemName(long magic) =>
        LinuxNetworkMagic.TryGetValue(unchecked((uint)magic), out string? name) ? name : null;

    /// <summary>The Linux statfs f_type of the file system holding an existing path (exposed for tests).</summary>
    internal static long LinuxFileSystemMagic(string existingPath)
    {
        // struct statfs starts with f_type as a machine word (__fsword_t) on every Linux ABI .NET runs on.
        byte[] buffer = new byte[512];
        if (LinuxNative.statfs(NullTerminatedUtf8(existingPath), buffer) != 0)
        {
            throw new IOException($"statfs failed (errno {Marshal.GetLastWin32Error()}).");
        }
        return IntPtr.Size == 8 ? BitConverter.ToInt64(buffer, 0) : BitConverter.ToInt32(buffer, 0);
    }

    private static NetworkLocation? DetectUncPath(string path) =>
        IsUncPath(path) ? new NetworkLocation(path, "a Windows share (UNC path)", null) : null;

    private static NetworkLocation? DetectLinux(string existingDirectory)
    {
        string resolved = LinuxNative.RealPath(existingDirectory) ?? existingDirectory;
        MountEntry? mount = null;
        if (File.Exists("/proc/mounts"))
        {
            mount = FindMount(ParseMountTable(File.ReadAllText("/proc/mounts")), resolved);
        }
        string? byMagic = null;
        try
        {
            byMagic = LinuxNetworkFileSystemName(LinuxFileSystemMagic(resolved));
        }
        catch (IOException)
        {
            // statfs refused (a folder we may not search); the mount table still answers.
        }
        if (byMagic is not null || (mount is not null && IsNetworkFileSystemType(mount.FileSystemType)))
        {
            string type = mount?.FileSystemType ?? byMagic!;
            return new NetworkLocation(existingDirectory, $"a network file system ({type})", mount?.MountPoint);
        }
        return null;
    }

    private static NetworkLocation? DetectMacOS(string existingDirectory)
    {
        // struct statfs (64-bit inode layout): f_fstypename[16] at offset 72, f_mntonname[1024] at offset 88.
        byte[] buffer = new byte[4096];
        int result = RuntimeInformation.ProcessArchitecture == Architecture.X64
            ? MacNative.statfs64(NullTerminatedUtf8(existingDirectory), buffer)
            : MacNative.statfs(NullTerminatedUtf8(existingDirectory), buffer);
        if (result != 0)
        {
            return null;
        }
        string type = CString(buffer, 72, 16);
        return IsNetworkFileSystemType(type)
            ? new NetworkLocation(existingDirectory, $"a network file system ({type})", CString(buffer, 88, 1024))
            : null;
    }

    private static NetworkLocation? DetectWindows(string existingDirectory)
    {
        const uint DriveRemote = 4;
        string? root = Path.GetPathRoot(existingDirectory);
        if (string.IsNullOrEmpty(root))
        {
            return null;
        }
        if (!root!.EndsWith("\\", StringComparison.Ordinal))
        {
            root += "\\";
        }
        return WindowsNative.GetDriveTypeW(root) == DriveRemote
            ? new NetworkLocation(existingDirectory, "a network drive", root)
            : null;
    }

    private static bool HasServerAndShare(string rest)
    {
        string[] parts = rest.Split(new[] { '\\' }, StringSplitOptions.None);
        return parts.Length >= 2 && parts[0].Length > 0 && parts[1].Length > 0;
    }

    private static bool IsUnder(string path, string mountPoint)
    {
        if (mountPoint == "/")
        {
            return path.StartsWith("/", StringComparison.Ordinal);
        }
        string trimmed = mountPoint.TrimEnd('/');
        return path.Equals(trimmed, StringComparison.Ordinal) || path.StartsWith(trimmed + "/", StringComparison.Ordinal);
    }

    private static string UnescapeMountField(string field)
    {
        if (field.IndexOf('\\') < 0)
        {
            return field;
        }
        var builder = new StringBuilder(field.Length);
        for (int i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                builder.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                builder.Append(field[i]);
            }
        }
        return builder.ToString();
    }

    private static bool IsOctal(string text, int start) =>
        start + 3 <= text.Length && text.Skip(start).Take(3).All(c => c >= '0' && c <= '7');

    private static string? NearestExistingDirectory(string fullPath)
    {
        string? candidate = Directory.Exists(fullPath) ? fullPath : Path.GetDirectoryName(fullPath);
        while (!string.IsNullOrEmpty(candidate) && !Directory.Exists(candidate))
        {
            candidate = Path.GetDirectoryName(candidate);
        }
        return string.IsNullOrEmpty(candidate) ? null : candidate;
    }

    /// <summary>A path for a C function (netstandard2.0 has no UTF-8 string marshalling).</summary>
    private static byte[] NullTerminatedUtf8(string path) => Encoding.UTF8.GetBytes(path + "\0");

    private static string CString(byte[] buffer, int offset, int length)
    {
        int end = Array.IndexOf(buffer, (byte)0, offset, length);
        return Encoding.UTF8.GetString(buffer, offset, (end < 0 ? offset + length : end) - offset);
    }

    private static class LinuxNative
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int statfs(byte[] path, byte[] buffer);

        [DllImport("libc", SetLastError = true)]
        private static extern IntPtr realpath(byte[] path, IntPtr resolved);

        [DllImport("libc")]
        private static extern void free(IntPtr pointer);

        /// <summary>The path with symbolic links resolved (a link into a share is on the share), or null.</summary>
        public static string? RealPath(string path)
        {
            IntPtr resolved = realpath(NullTerminatedUtf8(path), IntPtr.Zero);
            if (resolved == IntPtr.Zero)
            {
                return null;
            }
            try
            {
                int length = 0;
                while (Marshal.ReadByte(resolved, length) != 0)
                {
                    length++;
                }
                byte[] bytes = new byte[length];
                Marshal.Copy(resolved, bytes, 0, length);
                return Encoding.UTF8.GetString(bytes);
            }
            finally
            {
                free(resolved);
            }
        }
    }

    private static class MacNative
    {
        [DllImport("libc", EntryPoint = "statfs")]
        public static extern int statfs(byte[] path, byte[] buffer);

        // On x64 macOS the 64-bit inode layout is a separate entry point; arm64 has only that layout.
        [DllImport("libc", EntryPoint = "statfs$INODE64")]
        public static extern int statfs64(byte[] path, byte[] buffer);
    }

    private static class WindowsNative
    {
        [DllImport("kernel32", CharSet = CharSet.Unicode)]
        public static extern uint GetDriveTypeW(string rootPath);
    }
}

/// <summary>One line of the mount table: what is mounted, where, and its file system type.</summary>
public sealed record MountEntry(string Device, string MountPoint, string FileSystemType);

/// <summary>Why a path is judged to be on a network file system: what kind, and where it is mounted when known.</summary>
public sealed record NetworkLocation(string Path, string Kind, string? MountPoint)
{
    /// <summary>"a network file system (nfs4) mounted at /mnt/share", for messages.</summary>
    public string Description => MountPoint is null ? Kind : $"{Kind} mounted at {MountPoint}";
}
