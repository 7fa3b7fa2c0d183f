using System.Runtime.InteropServices;
using SensoClassLink.Core.Sqlite;

namespace SensoClassLink.Core.Tests.Sqlite;

/// <summary>The network file system rules on fixtures, and the platform probe on the machine at hand.</summary>
public sealed class NetworkFileSystemDetectorTests
{
    private static readonly IReadOnlyList<MountEntry> Mounts = NetworkFileSystemDetector.ParseMountTable(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Sqlite", "Fixtures", "proc-mounts.txt")));

    [Theory]
    [InlineData(@"\\fileserver\district\senso\state.db")]
    [InlineData(@"\\fileserver\district")]
    [InlineData("//fileserver/district/state.db")]
    [InlineData(@"\\?\UNC\fileserver\district\state.db")]
    [InlineData(@"\\fileserver.district.example\c$\state.db")]
    public void A_share_path_is_a_unc_path(string path) => Assert.True(NetworkFileSystemDetector.IsUncPath(path));

    [Theory]
    [InlineData(@"C:\SensoClassLink\state.db")]
    [InlineData(@"\\?\C:\SensoClassLink\state.db")]
    [InlineData(@"\\.\PhysicalDrive0")]
    [InlineData(@"\\server")]
    [InlineData(@"\\server\")]
    [InlineData("/var/lib/sensoclasslink/state.db")]
    [InlineData("./state.db")]
    [InlineData(@"\state.db")]
    public void A_local_or_device_path_is_not_a_unc_path(string path) => Assert.False(NetworkFileSystemDetector.IsUncPath(path));

    [Fact]
    public void The_mount_table_is_parsed_with_the_kernels_escapes_undone()
    {
        Assert.Equal(12, Mounts.Count);
        Assert.Equal(new MountEntry("//fileserver/district", "/mnt/district", "cifs"), Mounts[5]);
        Assert.Equal(new MountEntry("//fileserver/district share", "/mnt/district share", "smb3"), Mounts[6]);
        Assert.Equal("nfs4", Mounts[7].FileSystemType);
    }

    [Theory]
    [InlineData("/mnt/district/senso/state.db", "/mnt/district", "cifs")]
    [InlineData("/mnt/district", "/mnt/district", "cifs")]
    [InlineData("/mnt/district share/state.db", "/mnt/district share", "smb3")]
    [InlineData("/mnt/districts/state.db", "/", "ext4")]
    [InlineData("/srv/senso/state.db", "/srv/senso", "nfs4")]
    [InlineData("/srv/senso/local/state.db", "/srv/senso/local", "ext4")]
    [InlineData("/mnt/old/state.db", "/mnt/old", "xfs")]
    [InlineData("/run/state.db", "/run", "tmpfs")]
    [InlineData("/var/lib/docker/overlay2/3f1c/merged/app/state.db", "/var/lib/docker/overlay2/3f1c/merged", "overlay")]
    [InlineData("/home/svc/state.db", "/", "ext4")]
    public void The_longest_mount_point_holds_a_path_and_a_later_mount_over_it_wins(string path, string mountPoint, string type)
    {
        var mount = NetworkFileSystemDetector.FindMount(Mounts, path);
        Assert.NotNull(mount);
        Assert.Equal(mountPoint, mount!.MountPoint);
        Assert.Equal(type, mount.FileSystemType);
    }

    [Theory]
    [InlineData("cifs", true)]
    [InlineData("smb3", true)]
    [InlineData("nfs", true)]
    [InlineData("NFS4", true)]
    [InlineData("smbfs", true)]
    [InlineData("afpfs", true)]
    [InlineData("webdav", true)]
    [InlineData("fuse.sshfs", true)]
    [InlineData("ext4", false)]
    [InlineData("xfs", false)]
    [InlineData("tmpfs", false)]
    [InlineData("overlay", false)]
    [InlineData("apfs", false)]
    [InlineData("btrfs", false)]
    public void Network_file_system_types_are_known_by_name(string type, bool network) =>
        Assert.Equal(network, NetworkFileSystemDetector.IsNetworkFileSystemType(type));

    [Theory]
    [InlineData(0xFF534D42L, "cifs")]
    [InlineData(0xFE534D42L, "smb2")]
    [InlineData(0x517BL, "smb")]
    [InlineData(0x6969L, "nfs")]
    [InlineData(unchecked((long)0xFFFFFFFFFE534D42UL), "smb2")] // a 32-bit f_type sign-extended into a 64-bit word
    public void Linux_statfs_magic_numbers_of_network_file_systems_are_named(long magic, string name) =>
        Assert.Equal(name, NetworkFileSystemDetector.LinuxNetworkFileSystemName(magic));

    [Theory]
    [InlineData(0xEF53L)]       // ext2/3/4
    [InlineData(0x01021994L)]   // tmpfs
    [InlineData(0x794C7630L)]   // overlayfs
    [InlineData(0x58465342L)]   // xfs
    public void Linux_statfs_magic_numbers_of_local_file_systems_are_not_network(long magic) =>
        Assert.Null(NetworkFileSystemDetector.LinuxNetworkFileSystemName(magic));

    [Fact]
    public void A_share_path_is_detected_on_every_platform_without_touching_the_network()
    {
        var location = NetworkFileSystemDetector.Detect(@"\\fileserver\district\state.db");
        Assert.NotNull(location);
        Assert.Contains("UNC", location!.Description);
    }

    [Fact]
    public void The_temp_folder_and_a_file_not_yet_created_in_it_are_local_here()
    {
        string missing = Path.Combine(Path.GetTempPath(), "scl-" + Guid.NewGuid().ToString("N"), "deeper", "state.db");
        Assert.Null(NetworkFileSystemDetector.Detect(Path.GetTempPath()));
        Assert.Null(NetworkFileSystemDetector.Detect(missing));
        Assert.Null(NetworkFileSystemDetector.Detect(AppContext.BaseDirectory));
    }

    [Fact]
    public void On_linux_statfs_reads_the_file_system_type_the_mount_table_names()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            return; // the statfs layout probed here is Linux's
        }
        // Known local types by magic (linux/magic.h); every folder tried must agree with /proc/mounts.
        var magicByType = new Dictionary<string, long>
        {
            ["ext4"] = 0xEF53, ["ext3"] = 0xEF53, ["ext2"] = 0xEF53, ["tmpfs"] = 0x01021994, ["overlay"] = 0x794C7630,
            ["xfs"] = 0x58465342, ["btrfs"] = 0x9123683E, ["proc"] = 0x9FA0, ["sysfs"] = 0x62656572,
        };
        var mounts = NetworkFileSystemDetector.ParseMountTable(File.ReadAllText("/proc/mounts"));
        int compared = 0;
        foreach (string folder in new[] { Path.GetTempPath(), AppContext.BaseDirectory, "/proc", "/dev/shm", "/" })
        {
            if (!Directory.Exists(folder))
            {
                continue;
            }
            string resolved = Path.GetFullPath(folder).TrimEnd('/');
            var mount = NetworkFileSystemDetector.FindMount(mounts, resolved.Length == 0 ? "/" : resolved);
            if (mount is null || !magicByType.TryGetValue(mount.FileSystemType, out long expected))
            {
                continue;
            }
            Assert.Equal(expected, NetworkFileSystemDetector.LinuxFileSystemMagic(folder) & 0xFFFFFFFF);
            Assert.Null(NetworkFileSystemDetector.Detect(Path.Combine(folder, "state.db")));
            compared++;
        }
        Assert.True(compared >= 2, "at least two local mounts of known type were compared");
    }
}
