using System;
using System.IO;
using System.Runtime.InteropServices;

namespace SensoClassLink.Core;

/// <summary>
/// Restricts a file or folder to its owner on Unix (the module's databases and roster snapshots hold personal
/// data). On Windows the per-user profile's permissions already apply; nothing is changed there.
/// </summary>
internal static class OwnerOnlyAccess
{
    public const int File = 0x180;   // 0600: owner read and write
    public const int Folder = 0x1C0; // 0700: owner read, write and list

    /// <summary>Sets <paramref name="mode"/>; throws <see cref="IOException"/> naming the errno when it cannot.</summary>
    public static void Restrict(string path, int mode)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return;
        }
        if (NativeMethods.chmod(path, mode) != 0)
        {
            throw new IOException($"chmod {Convert.ToString(mode, 8)} failed with errno {Marshal.GetLastWin32Error()}.");
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int chmod(string path, int mode);
    }
}
