using Microsoft.Data.Sqlite;
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
/// Identity by sourcedId through the whole pipeline: a teacher whose roster email changed keeps their one Senso account
/// (renamed, same Id and groups), in the nightly and through Import-SensoUser; conflicts change nothing; hand-made users
/// are never touched; -WhatIf writes nothing.
/// </summary>
public sealed class RenameSyncTests : IDisposable
{
    private static readonly DateTime AsOf = new(2025, 3, 10);
    private const string Old = "t1@district.org";
    private const string New = "t1.new@district.org";
    private readonly TempDirectory _temp = new();
    private readonly RosterFixture _roster = new();
    private readonly LocalTenantProvider _senso;
    private readonly StateStore _state;

    public RenameSyncTests()
    {
        _senso = new LocalTenantProvider(_temp.File("tenant.db"), new[] { "Teacher" }, new[] { "Main" });
        _senso.SaveSettingsAsync(new IntegrationSettings { AutomaticallyCreateUsers = true, DefaultRole = "Teacher", DefaultSite = "Main" }, default).Wait();
        _state = new StateStore(_temp.File("state.db"));
        _roster.WithTeacherAndStudent("t1", Old, "c1");
        _roster.WithTeacherAndStudent("t2", "t2@district.org", "c2");
        _roster.Write();
    }

    public void Dispose()
    {
        _state.Dispose();
        _senso.Dispose();
        _roster.Dispose();
        _temp.Dispose();
    }

    private Task<DataSyncResult> RunNightly(bool whatIf = false) =>
        Nightly(o => new CsvRosterSource(_roster.Folder, o), _senso, _state, new SyncOptions { AsOf = AsOf, WhatIf = whatIf });

    private async Task<ImportDecision> Import(string email, bool whatIf = false)
    {
        var pipeline = new SyncPipeline(o => new CsvRosterSource(_roster.Folder, o), _senso, _state, new SyncOptions { AsOf = AsOf, WhatIf = whatIf });
        var result = await pipeline.RunAsync(SyncScope.Import(new[] { new ImportRequest { Email = email } }), default);
        return Assert.Single(result.Imports);
    }

    /// <summary>The district changes teacher t1's email; their sourcedId stays.</summary>
    private void ChangeEmailInRoster()
    {
        _roster.Users[0] = User("t1", "teacher", New);
        _roster.Write();
    }

    private int SensoUserCount => _senso.SearchUsersAsync(null, 100, 0, default).Result.Total;

    private string[] GroupsOf(string email) => _senso.GetGroupsAsync(email, default).Result.Select(g => g.Key).ToArray();

    /// <summary>Makes an account look made by hand in Senso (not by the integration), as a Senso administrator would have.</summary>
    private void MarkHandMade(string email, string sourcedIdsJson)
    {
        using var connection = new SqliteConnection($"Data Source={_senso.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE users SET source = 'senso', sourced_ids = $ids WHERE email_key = $e;";
        command.Parameters.AddWithValue("$ids", sourcedIdsJson);
        command.Parameters.AddWithValue("$e", email);
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    [Fact]
    public async Task The_nightly_renames_a_teacher_whose_email_changed_and_keeps_one_account_with_its_id_and_groups()
    {
        await RunNightly();
        var before = (await _senso.FindUserByEmailAsync(Old, default))!;
        Assert.Equal(new[] { "c1" }, GroupsOf(Old));
        ChangeEmailInRoster();

        var run = await RunNightly();

        Assert.Equal(SyncRunStatus.Completed, run.Run.Status);
        var decision = Assert.Single(run.Decisions, d => d.Email == New);
        Assert.Equal((DataSyncAction.Renamed, Old), (decision.Action, decision.PreviousEmail));
        Assert.Contains(Old, decision.Message);
        Assert.DoesNotContain(run.Decisions, d => d.Email == Old);
        Assert.Equal((1, 0), (run.Run.Figures.UsersRenamed, run.Run.Figures.UsersCreated));
        Assert.Equal(2, SensoUserCount);
        var after = (await _senso.FindUserByEmailAsync(New, default))!;
        Assert.Equal((before.Id, before.Role, before.Site), (after.Id, after.Role, after.Site));
        Assert.Null(await _senso.FindUserByEmailAsync(Old, default));
        Assert.Equal(new[] { "c1" }, GroupsOf(New));
        Assert.Equal(new[] { New }, _senso.GetGroupsAsync(New, default).Result.Single().Owners);
        Assert.Equal(1, _state.RunHistory.Get(run.Run.RunId)!.Figures.UsersRenamed);

        // The next night has nothing to do: the rename is not repeated and no group sync is needed.
        var next = await RunNightly();
        Assert.Equal((0, 0, 0), (next.Run.Figures.UsersRenamed, next.Run.Figures.UsersCreated, next.Run.Figures.GroupSyncsCompleted));
        Assert.Equal(DataSyncAction.Exists, next.Decisions.Single(d => d.Email == New).Action);
    }

    [Fact]
    public async Task A_run_held_by_the_mass_change_brake_renames_nobody_before_it_stops()
    {
        await RunNightly();
        ChangeEmailInRoster();
        _roster.WithTeacherAndStudent("t3", "t3@district.org", "c3");
        _roster.WithTeacherAndStudent("t4", "t4@district.org", "c4");
        _roster.Write();

        var run = await Nightly(o => new CsvRosterSource(_roster.Folder, o), _senso, _state, new SyncOptions { AsOf = AsOf, MaxCreatesPerRun = 1 });

        Assert.Equal(SyncRunStatus.Held, run.Run.Status);
        Assert.Contains("Nothing was written", run.Run.Message);
        Assert.Equal(0, run.Run.Figures.UsersRenamed);
        Assert.NotNull(await _senso.FindUserByEmailAsync(Old, default));
        Assert.Null(await _senso.FindUserByEmailAsync(New, default));
        Assert.Equal(2, SensoUserCount);
    }

    [Fact]
    public async Task Import_of_the_new_email_renames_the_account_and_never_creates_a_second_one()
    {
        var first = await Import(Old);
        Assert.Equal(ImportStatus.Created, first.Status);
        ChangeEmailInRoster();

        var decision = await Import(New);

        Assert.Equal((ImportStatus.Renamed, Old, first.UserId), (decision.Status, decision.PreviousEmail, decision.UserId));
        Assert.Equal(GroupSyncStatus.Completed, decision.GroupSync);
        Assert.Equal(1, SensoUserCount);
        Assert.Equal(new[] { "c1" }, GroupsOf(New));
        Assert.Empty(GroupsOf(Old));
        Assert.Contains(_state.ImportJournal.Read(), e => e.Email == New && e.Status == "Renamed");

        // Importing again is an ordinary Exists.
        Assert.Equal(ImportStatus.Exists, (await Import(New)).Status);
        Assert.Equal(1, SensoUserCount);
    }

    [Fact]
    public async Task Import_of_the_new_email_of_a_suspended_teacher_renames_and_reactivates_the_one_account()
    {
        // Regression: the rename path answered the teacher before TeacherImporter, so the renamed account stayed suspended.
        var first = await Import(Old);
        _senso.SetUserStatus(first.UserId!, SensoUserStatus.Suspended);
        ChangeEmailInRoster();

        var preview = await Import(New, whatIf: true);
        Assert.Equal((ImportStatus.WhatIf, Old), (preview.Status, preview.PreviousEmail));
        Assert.Contains("would be reactivated", preview.Message);
        Assert.Equal(SensoUserStatus.Suspended, (await _senso.FindUserByEmailAsync(Old, default))!.Status);

        var decision = await Import(New);

        Assert.Equal((ImportStatus.Reactivated, Old, first.UserId), (decision.Status, decision.PreviousEmail, decision.UserId));
        Assert.Contains("Renamed from", decision.Message);
        Assert.Equal(GroupSyncStatus.Completed, decision.GroupSync);
        var account = await _senso.FindUserByEmailAsync(New, default);
        Assert.Equal((first.UserId, SensoUserStatus.Active), (account!.Id, account.Status));
        Assert.Equal(1, SensoUserCount);
        Assert.Equal(new[] { "c1" }, GroupsOf(New));
        Assert.Equal(ImportStatus.Exists, (await Import(New)).Status);
    }

    [Fact]
    public async Task A_new_email_that_belongs_to_another_account_fails_EmailInUse_and_changes_nothing()
    {
        await RunNightly();
        var other = (await _senso.CreateUserAsync(new NewSensoUser { Email = New, Role = "Teacher", Site = "Main", SourcedIds = new[] { "someone-else" } }, default)).User;
        ChangeEmailInRoster();

        var run = await RunNightly();
        var import = await Import(New);

        var decision = run.Decisions.Single(d => d.Email == New);
        Assert.Equal((DataSyncAction.RenameFailed, OutcomeReason.EmailInUse), (decision.Action, decision.Reason));
        Assert.Equal(SyncRunStatus.CompletedWithErrors, run.Run.Status);
        Assert.Contains(run.Run.Errors, e => e.Contains("EmailInUse", StringComparison.Ordinal));
        Assert.Equal((ImportStatus.Failed, OutcomeReason.EmailInUse), (import.Status, import.Reason));
        Assert.Equal(GroupSyncStatus.NotRequested, import.GroupSync);
        Assert.Equal(3, SensoUserCount);
        Assert.Equal(other.Id, (await _senso.FindUserByEmailAsync(New, default))!.Id);
        Assert.Equal(new[] { "c1" }, GroupsOf(Old));
        Assert.Empty(GroupsOf(New));
        Assert.Equal(0, run.Run.Figures.UsersRenamed);
    }

    [Fact]
    public async Task SourcedIds_that_point_at_two_accounts_fail_AmbiguousIdentity_and_change_nothing()
    {
        await RunNightly();
        await _senso.CreateUserAsync(new NewSensoUser { Email = "t1.dup@district.org", Role = "Teacher", Site = "Main", SourcedIds = new[] { "t1" } }, default);
        ChangeEmailInRoster();

        var run = await RunNightly();
        var import = await Import(New);

        var decision = run.Decisions.Single(d => d.Email == New);
        Assert.Equal((DataSyncAction.RenameFailed, OutcomeReason.AmbiguousIdentity), (decision.Action, decision.Reason));
        Assert.DoesNotContain(run.Decisions, d => d.Email == Old || d.Email == "t1.dup@district.org");
        Assert.Equal((ImportStatus.Failed, OutcomeReason.AmbiguousIdentity), (import.Status, import.Reason));
        Assert.Equal(3, SensoUserCount); // no account under the new email
        Assert.Null(await _senso.FindUserByEmailAsync(New, default));
        Assert.Equal(new[] { "c1" }, GroupsOf(Old));
        Assert.Equal((0, 0), (run.Run.Figures.UsersRenamed, run.Run.Figures.UsersCreated));
    }

    [Fact]
    public async Task An_account_holding_the_sourcedIds_of_two_roster_teachers_is_not_renamed_away_from_either()
    {
        // One account carries t1's and t2's sourcedIds (two records once merged under one email); t2 now has its own email.
        var shared = (await _senso.CreateUserAsync(new NewSensoUser { Email = Old, Role = "Teacher", Site = "Main", SourcedIds = new[] { "t1", "t2" } }, default)).User;

        var run = await RunNightly();

        var decision = run.Decisions.Single(d => d.Email == "t2@district.org");
        Assert.Equal((DataSyncAction.RenameFailed, OutcomeReason.AmbiguousIdentity), (decision.Action, decision.Reason));
        Assert.Equal(shared.Id, (await _senso.FindUserByEmailAsync(Old, default))!.Id);
        Assert.Null(await _senso.FindUserByEmailAsync("t2@district.org", default));
        Assert.Equal(0, run.Run.Figures.UsersRenamed);
    }

    [Fact]
    public async Task A_user_made_by_hand_in_senso_is_never_renamed()
    {
        await RunNightly();
        MarkHandMade(Old, "[\"t1\"]");
        ChangeEmailInRoster();

        var run = await RunNightly();
        var import = await Import(New);

        Assert.Equal(0, run.Run.Figures.UsersRenamed);
        Assert.Equal(DataSyncAction.Created, run.Decisions.Single(d => d.Email == New).Action);
        Assert.Equal(ImportStatus.Exists, import.Status);
        var handMade = (await _senso.FindUserByEmailAsync(Old, default))!;
        Assert.Equal("senso", handMade.Source);
    }

    [Fact]
    public async Task WhatIf_says_the_account_would_be_renamed_and_writes_nothing()
    {
        await RunNightly();
        ChangeEmailInRoster();
        int runsBefore = _state.RunHistory.GetRecent(100).Count;

        var run = await RunNightly(whatIf: true);
        var import = await Import(New, whatIf: true);

        var decision = run.Decisions.Single(d => d.Email == New);
        Assert.Equal((DataSyncAction.WouldRename, Old), (decision.Action, decision.PreviousEmail));
        Assert.Contains("Would rename", decision.Message);
        Assert.Equal((ImportStatus.WhatIf, Old), (import.Status, import.PreviousEmail));
        Assert.Contains("Would rename", import.Message);
        Assert.Equal(runsBefore, _state.RunHistory.GetRecent(100).Count);
        Assert.NotNull(await _senso.FindUserByEmailAsync(Old, default));
        Assert.Null(await _senso.FindUserByEmailAsync(New, default));
        Assert.Equal(new[] { "c1" }, GroupsOf(Old));
        Assert.Equal(2, SensoUserCount);
    }

    private async Task<GroupSyncOutcome> SyncGroups(string email, bool whatIf = false)
    {
        var pipeline = new SyncPipeline(o => new CsvRosterSource(_roster.Folder, o), _senso, _state, new SyncOptions { AsOf = AsOf, WhatIf = whatIf });
        var result = await pipeline.RunAsync(SyncScope.Users(new[] { email }, namedTeachersOnly: true), default);
        return Assert.Single(result.GroupSyncs);
    }

    [Fact]
    public async Task Syncing_the_groups_of_the_new_email_renames_the_account_first_like_the_import_and_the_nightly()
    {
        // Before: the new email had no Senso account, so the sync failed NotInSenso while Import-SensoUser and the nightly renamed.
        await RunNightly();
        var before = (await _senso.FindUserByEmailAsync(Old, default))!;
        ChangeEmailInRoster();

        var preview = await SyncGroups(New, whatIf: true);
        Assert.Equal(GroupSyncStatus.Completed, preview.Status);
        Assert.Contains("Would rename from " + Old, preview.Message);
        Assert.NotNull(await _senso.FindUserByEmailAsync(Old, default));

        var outcome = await SyncGroups(New);

        Assert.Equal(GroupSyncStatus.Completed, outcome.Status);
        Assert.StartsWith($"Renamed from {Old} to {New}.", outcome.Message);
        Assert.Equal(before.Id, (await _senso.FindUserByEmailAsync(New, default))!.Id);
        Assert.Null(await _senso.FindUserByEmailAsync(Old, default));
        Assert.Equal(2, SensoUserCount);
        Assert.Equal(new[] { "c1" }, GroupsOf(New));
        Assert.Equal(GroupSyncStatus.Completed, _state.GroupSyncQueue.GetJobs().Single(j => j.Email == New).Status);
        Assert.Equal(0, (await RunNightly()).Run.Figures.UsersRenamed);
    }

    [Fact]
    public async Task Syncing_the_groups_of_a_new_email_that_is_another_accounts_fails_EmailInUse_and_changes_nothing()
    {
        // Before: the other account (same email, another person) was given t1's classes.
        await RunNightly();
        var other = (await _senso.CreateUserAsync(new NewSensoUser { Email = New, Role = "Teacher", Site = "Main", SourcedIds = new[] { "someone-else" } }, default)).User;
        ChangeEmailInRoster();

        var outcome = await SyncGroups(New);

        Assert.Equal((GroupSyncStatus.Failed, OutcomeReason.EmailInUse), (outcome.Status, outcome.Reason));
        Assert.Empty(GroupsOf(New));
        Assert.Equal(new[] { "c1" }, GroupsOf(Old));
        Assert.Equal(other.Id, (await _senso.FindUserByEmailAsync(New, default))!.Id);
        Assert.DoesNotContain(_state.GroupSyncQueue.GetJobs(), j => j.Email == New);
    }
}
