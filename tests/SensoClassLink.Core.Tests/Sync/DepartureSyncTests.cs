using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.Senso;
using SensoClassLink.Core.Senso.Local;
using SensoClassLink.Core.State;
using SensoClassLink.Core.Sync;
using SensoClassLink.Core.Tests.OneRoster;
using Xunit;
using static SensoClassLink.Core.Tests.OneRoster.RosterFixture;
using static SensoClassLink.Core.Tests.Sync.TestPipelines;

namespace SensoClassLink.Core.Tests.Sync;

/// <summary>
/// Departed teachers through the nightly pipeline over a CSV roster and the local tenant: listed with their day count,
/// suspended after SuspendAfterDays consecutive roster dates (never deleted), reactivated with their groups when they
/// return; the suspension brake holds; held, what-if and interrupted runs leave the count alone; hand-made users are never touched.
/// </summary>
public sealed class DepartureSyncTests : IDisposable
{
    private static readonly DateTime Day0 = new(2025, 3, 10);
    private const string Leaver = "t1@district.org";
    private readonly TempDirectory _temp = new();
    private readonly RosterFixture _roster = new();
    private readonly LocalTenantProvider _senso;
    private readonly StateStore _state;

    public DepartureSyncTests()
    {
        _senso = new LocalTenantProvider(_temp.File("tenant.db"), new[] { "Teacher" }, new[] { "Main" });
        Settings(suspend: false, afterDays: 7);
        _state = new StateStore(_temp.File("state.db"));
        _roster.WithTeacherAndStudent("t1", Leaver, "c1");
        _roster.WithTeacherAndStudent("t2", "t2@district.org", "c2");
        _roster.WithTeacherAndStudent("t3", "t3@district.org", "c3");
        _roster.Write();
    }

    public void Dispose()
    {
        _state.Dispose();
        _senso.Dispose();
        _roster.Dispose();
        _temp.Dispose();
    }

    private void Settings(bool suspend, int afterDays) =>
        _senso.SaveSettingsAsync(new IntegrationSettings
        {
            AutomaticallyCreateUsers = true, DefaultRole = "Teacher", DefaultSite = "Main", SuspendDepartedUsers = suspend, SuspendAfterDays = afterDays,
        }, default).Wait();

    private Task<DataSyncResult> RunNightly(DateTime asOf, bool whatIf = false, bool force = false, int maxSuspensions = 50) =>
        Nightly(o => new CsvRosterSource(_roster.Folder, o), _senso, _state,
            new SyncOptions { AsOf = asOf, WhatIf = whatIf, Force = force, MaxSuspensionsPerRun = maxSuspensions });

    /// <summary>Teacher t1's record (users.csv row 0) with this status / enabledUser: tobedeleted is a departure.</summary>
    private void SetLeaver(string status = "", string enabled = "")
    {
        _roster.Users[0] = User("t1", "teacher", Leaver, status, enabled);
        _roster.Write();
    }

    private SensoUser UserOf(string email) => _senso.FindUserByEmailAsync(email, default).Result!;

    private string[] GroupsOf(string email) => _senso.GetGroupsAsync(email, default).Result.Select(g => g.Key).ToArray();

    private static DataSyncDecision DecisionOf(DataSyncResult run, string email) => run.Decisions.Single(d => d.Email == email);

    [Fact]
    public async Task With_the_setting_off_a_departed_teacher_is_listed_with_a_day_count_and_not_changed()
    {
        await RunNightly(Day0);
        SetLeaver(status: "tobedeleted");

        var first = await RunNightly(Day0.AddDays(1));
        var second = await RunNightly(Day0.AddDays(3));

        var decision = DecisionOf(first, Leaver);
        Assert.Equal((DataSyncAction.Departed, "SuspensionOff", (int?)0), (decision.Action, decision.Reason, decision.DaysDeparted));
        Assert.Contains("since 2025-03-11", decision.Message);
        Assert.Equal(1, first.Run.Figures.UsersDeparted);
        Assert.Equal(0, first.Run.Figures.UsersSuspended);
        Assert.Equal(2, DecisionOf(second, Leaver).DaysDeparted); // calendar days from the first departed roster date
        Assert.Equal(SensoUserStatus.Active, UserOf(Leaver).Status);
        Assert.Null(DecisionOf(second, "t2@district.org").DaysDeparted);
        Assert.Equal(1, _state.RunHistory.Get(second.Run.RunId)!.Figures.UsersDeparted);
    }

    [Fact]
    public async Task SuspendAfterDays_0_suspends_in_the_first_run_keeping_the_account_and_a_rerun_changes_nothing()
    {
        await RunNightly(Day0);
        var before = UserOf(Leaver);
        Settings(suspend: true, afterDays: 0);
        SetLeaver(status: "tobedeleted");

        var run = await RunNightly(Day0.AddDays(1));

        Assert.Equal(SyncRunStatus.Completed, run.Run.Status);
        var decision = DecisionOf(run, Leaver);
        Assert.Equal((DataSyncAction.Suspended, (int?)0), (decision.Action, decision.DaysDeparted));
        var after = UserOf(Leaver);
        Assert.Equal((SensoUserStatus.Suspended, before.Id, before.Role, before.Site), (after.Status, after.Id, after.Role, after.Site));
        Assert.Equal((1, 1), (run.Run.Figures.UsersDeparted, run.Run.Figures.UsersSuspended));
        Assert.Equal(SensoUserStatus.Active, UserOf("t2@district.org").Status);

        var again = await RunNightly(Day0.AddDays(2));
        Assert.Equal((DataSyncAction.Departed, "AlreadySuspended", (int?)1), (DecisionOf(again, Leaver).Action, DecisionOf(again, Leaver).Reason, DecisionOf(again, Leaver).DaysDeparted));
        Assert.Equal(0, again.Run.Figures.UsersSuspended);
    }

    [Fact]
    public async Task SuspendAfterDays_2_suspends_only_on_the_third_consecutive_roster_date()
    {
        await RunNightly(Day0);
        Settings(suspend: true, afterDays: 2);
        SetLeaver(enabled: "false");

        var day1 = await RunNightly(Day0.AddDays(1));
        var day2 = await RunNightly(Day0.AddDays(2));
        Assert.Equal(SensoUserStatus.Active, UserOf(Leaver).Status);
        var day3 = await RunNightly(Day0.AddDays(3));

        Assert.Equal((DataSyncAction.Departed, "NotYetDue", (int?)0), (DecisionOf(day1, Leaver).Action, DecisionOf(day1, Leaver).Reason, DecisionOf(day1, Leaver).DaysDeparted));
        Assert.Equal((DataSyncAction.Departed, (int?)1), (DecisionOf(day2, Leaver).Action, DecisionOf(day2, Leaver).DaysDeparted));
        Assert.Equal((DataSyncAction.Suspended, (int?)2), (DecisionOf(day3, Leaver).Action, DecisionOf(day3, Leaver).DaysDeparted));
        Assert.Equal(SensoUserStatus.Suspended, UserOf(Leaver).Status);
    }

    [Fact]
    public async Task A_run_that_sees_the_teacher_present_again_restarts_the_count()
    {
        await RunNightly(Day0);
        Settings(suspend: true, afterDays: 2);
        SetLeaver(status: "inactive");
        await RunNightly(Day0.AddDays(1));
        SetLeaver();
        var present = await RunNightly(Day0.AddDays(2));
        SetLeaver(status: "inactive");

        var gone = await RunNightly(Day0.AddDays(3));

        Assert.Null(DecisionOf(present, Leaver).DaysDeparted);
        Assert.Equal((DataSyncAction.Departed, (int?)0), (DecisionOf(gone, Leaver).Action, DecisionOf(gone, Leaver).DaysDeparted));
        Assert.Equal(SensoUserStatus.Active, UserOf(Leaver).Status);
    }

    [Fact]
    public async Task Losing_ones_classes_is_not_departing()
    {
        await RunNightly(Day0);
        Settings(suspend: true, afterDays: 0);
        _roster.Enrollments.RemoveAll(e => e.StartsWith("e-t-c1,", StringComparison.Ordinal));
        _roster.Write();

        var run = await RunNightly(Day0.AddDays(1));

        Assert.NotEqual(DataSyncAction.Departed, DecisionOf(run, Leaver).Action);
        Assert.Null(DecisionOf(run, Leaver).DaysDeparted);
        Assert.Equal(0, run.Run.Figures.UsersDeparted);
        Assert.Equal(SensoUserStatus.Active, UserOf(Leaver).Status);
    }

    [Fact]
    public async Task WhatIf_shows_the_suspension_and_writes_neither_the_status_nor_the_count()
    {
        await RunNightly(Day0);
        Settings(suspend: true, afterDays: 0);
        SetLeaver(status: "tobedeleted");

        var preview = await RunNightly(Day0.AddDays(1), whatIf: true);

        Assert.Equal((DataSyncAction.WouldSuspend, (int?)0), (DecisionOf(preview, Leaver).Action, DecisionOf(preview, Leaver).DaysDeparted));
        Assert.Equal(SensoUserStatus.Active, UserOf(Leaver).Status);
        Assert.Empty(_state.Departures.GetAll());
        Assert.Equal(0, preview.Run.Figures.UsersSuspended);
    }

    [Fact]
    public async Task The_suspension_brake_holds_the_run_suspending_none_and_keeps_the_count_until_forced()
    {
        await RunNightly(Day0);
        Settings(suspend: true, afterDays: 0);
        SetLeaver(status: "tobedeleted");
        _roster.Users[2] = User("t2", "teacher", "t2@district.org", "tobedeleted");
        _roster.Write();

        var held = await RunNightly(Day0.AddDays(1), maxSuspensions: 1);

        Assert.Equal(SyncRunStatus.Held, held.Run.Status);
        Assert.Contains("2 departed users would be suspended, more than import.maxSuspensionsPerRun (1)", held.Run.Message);
        Assert.Equal("Held", DecisionOf(held, Leaver).Reason);
        Assert.Equal(SensoUserStatus.Active, UserOf(Leaver).Status);
        Assert.Equal(SensoUserStatus.Active, UserOf("t2@district.org").Status);
        Assert.Empty(_state.Departures.GetAll()); // a held run does not move the count

        var forced = await RunNightly(Day0.AddDays(1), force: true, maxSuspensions: 1);
        Assert.Equal(SyncRunStatus.Completed, forced.Run.Status);
        Assert.Equal(2, forced.Run.Figures.UsersSuspended);
        Assert.Equal(SensoUserStatus.Suspended, UserOf("t2@district.org").Status);
    }

    [Fact]
    public async Task A_returning_teacher_is_reactivated_and_gets_their_groups_back()
    {
        await RunNightly(Day0);
        Settings(suspend: true, afterDays: 0);
        SetLeaver(status: "tobedeleted");
        await RunNightly(Day0.AddDays(1));
        Assert.Equal(SensoUserStatus.Suspended, UserOf(Leaver).Status);
        Assert.Empty(GroupsOf(Leaver));
        SetLeaver();

        var preview = await RunNightly(Day0.AddDays(2), whatIf: true);
        var back = await RunNightly(Day0.AddDays(2));

        Assert.Equal(DataSyncAction.WouldReactivate, DecisionOf(preview, Leaver).Action);
        var decision = DecisionOf(back, Leaver);
        Assert.Equal((DataSyncAction.Reactivated, GroupSyncStatus.Synced), (decision.Action, decision.GroupSync));
        Assert.Null(decision.DaysDeparted);
        Assert.Equal(SensoUserStatus.Active, UserOf(Leaver).Status);
        Assert.Equal(new[] { "c1" }, GroupsOf(Leaver));
        Assert.Equal(1, back.Run.Figures.UsersReactivated);
        Assert.Empty(_state.Departures.GetAll());
    }

    [Fact]
    public async Task Import_of_a_suspended_teacher_with_an_active_record_reactivates_rather_than_fails()
    {
        await RunNightly(Day0);
        var id = UserOf(Leaver).Id;
        _senso.SetUserStatus(id, SensoUserStatus.Suspended);
        _senso.ReplaceUserGroups(Leaver, Array.Empty<SensoGroup>());
        var pipeline = new SyncPipeline(o => new CsvRosterSource(_roster.Folder, o), _senso, _state, new SyncOptions { AsOf = Day0 });

        var result = await pipeline.RunAsync(SyncScope.Import(new[] { new ImportRequest { Email = Leaver } }), default);

        var decision = Assert.Single(result.Imports);
        Assert.Equal((ImportStatus.Reactivated, id, GroupSyncStatus.Completed), (decision.Status, decision.UserId, decision.GroupSync));
        Assert.Equal(SensoUserStatus.Active, UserOf(Leaver).Status);
        Assert.Equal(new[] { "c1" }, GroupsOf(Leaver));
        Assert.Equal(3, _senso.SearchUsersAsync(null, 10, 0, default).Result.Total);
    }

    [Fact]
    public async Task A_hand_made_user_is_never_suspended_or_reactivated()
    {
        await RunNightly(Day0);
        Settings(suspend: true, afterDays: 0);
        // One made by hand and not in the roster; one made by hand, suspended by an administrator, with an active roster record.
        var away = _senso.CreateUser(new NewSensoUser { Email = "admin@district.org", Role = "Teacher", Site = "Main", SourcedIds = new[] { "x9" } }, "senso").User;
        _roster.Users.Add(User("t9", "teacher", "hand@district.org"));
        _roster.Write();
        var hand = _senso.CreateUser(new NewSensoUser { Email = "hand@district.org", Role = "Teacher", Site = "Main", SourcedIds = new[] { "t9" } }, "senso").User;
        _senso.SetUserStatus(hand.Id, SensoUserStatus.Suspended);

        var run = await RunNightly(Day0.AddDays(1));

        Assert.Equal(SensoUserStatus.Active, UserOf("admin@district.org").Status);
        Assert.Equal(SensoUserStatus.Suspended, UserOf("hand@district.org").Status);
        Assert.DoesNotContain(run.Decisions, d => d.Email == "admin@district.org");
        Assert.Equal((0, 0, 0), (run.Run.Figures.UsersDeparted, run.Run.Figures.UsersSuspended, run.Run.Figures.UsersReactivated));
        Assert.Equal(away.Id, UserOf("admin@district.org").Id);
    }

    [Fact]
    public async Task A_mass_departure_of_ClassLink_users_is_held_by_the_shrink_guard_although_the_roster_did_not_halve()
    {
        // 40 eligible teachers, 20 of them with accounts (automatic creation off); then 11 of those 20 leave.
        using var roster = new RosterFixture();
        for (int i = 1; i <= 40; i++)
        {
            roster.WithTeacherAndStudent($"m{i}", $"m{i}@district.org", $"mc{i}");
        }
        roster.Write();
        _senso.SaveSettingsAsync(new IntegrationSettings { DefaultRole = "Teacher", DefaultSite = "Main", SuspendDepartedUsers = true, SuspendAfterDays = 0 }, default).Wait();
        for (int i = 1; i <= 20; i++)
        {
            _senso.CreateUser(new NewSensoUser { Email = $"m{i}@district.org", Role = "Teacher", Site = "Main", SourcedIds = new[] { $"m{i}" } });
        }
        Task<DataSyncResult> Run(bool force = false) =>
            Nightly(o => new CsvRosterSource(roster.Folder, o), _senso, _state, new SyncOptions { AsOf = Day0, Force = force });
        Assert.Equal(SyncRunStatus.Completed, (await Run()).Run.Status);
        for (int i = 1; i <= 11; i++)
        {
            roster.Users[(i - 1) * 2] = User($"m{i}", "teacher", $"m{i}@district.org", "tobedeleted");
        }
        roster.Write();

        var held = await Run();

        Assert.Equal(SyncRunStatus.Held, held.Run.Status);
        Assert.Contains("11 of 20 ClassLink users in Senso left the roster", held.Run.Message);
        Assert.DoesNotContain("eligible teachers fell", held.Run.Message); // 40 -> 29: the roster figures alone would pass
        Assert.Equal(SensoUserStatus.Active, UserOf("m1@district.org").Status);
        Assert.Equal(new[] { "mc1" }, GroupsOf("m1@district.org"));
        Assert.Empty(_state.Departures.GetAll());

        var forced = await Run(force: true);
        Assert.Equal(11, forced.Run.Figures.UsersSuspended);
    }

    [Fact]
    public async Task A_run_killed_after_a_suspension_and_before_recording_is_finished_by_running_again()
    {
        await RunNightly(Day0);
        Settings(suspend: true, afterDays: 0);
        SetLeaver(status: "tobedeleted");
        // The killed run got as far as the provider call: the user is suspended, the count was never written.
        _senso.SetUserStatus(UserOf(Leaver).Id, SensoUserStatus.Suspended);

        var rerun = await RunNightly(Day0.AddDays(1));

        Assert.Equal(SyncRunStatus.Completed, rerun.Run.Status);
        Assert.Equal((DataSyncAction.Departed, "AlreadySuspended"), (DecisionOf(rerun, Leaver).Action, DecisionOf(rerun, Leaver).Reason));
        Assert.Equal(SensoUserStatus.Suspended, UserOf(Leaver).Status);
        Assert.Equal(new DateTime(2025, 3, 11), Assert.Single(_state.Departures.GetAll()).Value);
        Assert.Equal(3, _senso.SearchUsersAsync(null, 10, 0, default).Result.Total);
    }
}
