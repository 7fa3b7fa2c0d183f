using System.Diagnostics;
using SensoClassLink.Core.Senso.Local;
using SensoClassLink.Core.State;

namespace SensoClassLink.Core.Tests.State;

/// <summary>
/// Kills a real process (SensoClassLink.CrashWriter) in the middle of a large SQLite transaction and shows the file
/// then opens with either the old or the new state, never a mix.
/// </summary>
public sealed class KilledWriterTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public void A_journal_batch_killed_mid_transaction_leaves_only_the_committed_batch()
    {
        string path = _temp.File("state.db");
        using (var writer = Start("journal", path))
        {
            WaitFor(writer, "committed");
            WaitFor(writer, "inside"); // 5000 rows written inside the open transaction
            writer.Kill(entireProcessTree: true);
            writer.WaitForExit();
        }

        using var store = new StateStore(path);
        Assert.Equal(1000, store.ImportJournal.Read("committed-run").Count());
        Assert.Empty(store.ImportJournal.Read("killed-run"));
        store.ImportJournal.Append(new[] { new ImportJournalEntry { RunId = "after", Email = "z@d.org", Status = "Created" } });
        Assert.Single(store.ImportJournal.Read("after"));
    }

    [Fact]
    public void A_group_replacement_killed_at_any_moment_leaves_one_whole_set()
    {
        string path = _temp.File("tenant.db");
        using (var writer = Start("groups", path))
        {
            WaitFor(writer, "committed A");
            WaitFor(writer, "committed B");
            Thread.Sleep(Random.Shared.Next(0, 150)); // somewhere inside a later transaction
            writer.Kill(entireProcessTree: true);
            writer.WaitForExit();
        }

        using var tenant = new LocalTenantProvider(path);
        var groups = tenant.GetGroupsAsync("teacher@d.org", CancellationToken.None).Result;
        Assert.Equal(300, groups.Count);
        string set = groups[0].Key[..1];
        Assert.All(groups, g =>
        {
            Assert.StartsWith(set + "-", g.Key);
            Assert.Equal(40, g.Members.Count);
            Assert.Equal(new[] { "teacher@d.org" }, g.Owners);
        });
        Assert.Equal(300, tenant.GetGroupsAsync(null, CancellationToken.None).Result.Count);
    }

    private static Process Start(string mode, string path)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "SensoClassLink.CrashWriter.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add(mode);
        info.ArgumentList.Add(path);
        return Process.Start(info)!;
    }

    private static void WaitFor(Process process, string line)
    {
        var read = Task.Run(() =>
        {
            string? text;
            while ((text = process.StandardOutput.ReadLine()) is not null)
            {
                if (text == line)
                {
                    return true;
                }
            }
            return false;
        });
        if (!read.Wait(TimeSpan.FromSeconds(60)) || !read.Result)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"The crash writer never printed '{line}'.");
        }
    }

    public void Dispose() => _temp.Dispose();
}
