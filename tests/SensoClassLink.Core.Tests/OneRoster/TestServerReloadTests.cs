using SensoClassLink.OneRosterTestServer;
using Xunit;
using static SensoClassLink.Core.Tests.OneRoster.RestTestContext;

namespace SensoClassLink.Core.Tests.OneRoster;

/// <summary>The test server's --reload: suites that edit the CSV roster between runs see the edit over REST.</summary>
public sealed class TestServerReloadTests
{
    private const string NewTeacher = "t-new,active,,true,school-a,teacher,new.teacher,,New,Teacher,,T999,new.teacher@riverside.org,,,,,";

    private static async Task<(int Before, int After, int Loads)> UsersBeforeAndAfterAnEdit(bool reload)
    {
        using var folder = new TempDirectory();
        foreach (string file in Directory.GetFiles(DataFolder))
        {
            File.Copy(file, folder.File(Path.GetFileName(file)));
        }
        await using var server = await OneRosterServer.StartAsync(new TestServerOptions
        {
            DataFolder = folder.Path, ConsumerKey = "district-key", ConsumerSecret = ConsumerSecret, ReloadOnChange = reload,
        });
        using var source = Open(OAuth1(server));
        int before = source.ReadUsers(default).Count();
        File.AppendAllText(folder.File("users.csv"), NewTeacher + "\n");
        int after = source.ReadUsers(default).Count();
        // No change since the last read: no reload.
        source.ReadUsers(default).Count();
        return (before, after, server.DataLoads);
    }

    [Fact]
    public async Task With_reload_an_edited_csv_folder_is_served_as_edited()
    {
        var (before, after, loads) = await UsersBeforeAndAfterAnEdit(reload: true);
        Assert.Equal(48, before);
        Assert.Equal(49, after);
        Assert.Equal(2, loads);
    }

    [Fact]
    public async Task Without_reload_the_folder_is_served_as_it_was_at_start()
    {
        var (before, after, loads) = await UsersBeforeAndAfterAnEdit(reload: false);
        Assert.Equal(48, before);
        Assert.Equal(48, after);
        Assert.Equal(1, loads);
    }
}
