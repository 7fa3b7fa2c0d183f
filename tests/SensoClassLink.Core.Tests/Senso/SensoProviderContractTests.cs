using SensoClassLink.Core.Senso;

namespace SensoClassLink.Core.Tests.Senso;

/// <summary>
/// The behaviour every Senso provider must have. Each provider runs this whole suite through a subclass
/// that says how to open it over a fresh tenant seeded with roles Teacher, Administrator and sites Main, North.
/// </summary>
public abstract class SensoProviderContractTests : IDisposable
{
    protected static readonly string[] SeedRoles = { "Teacher", "Administrator" };
    protected static readonly string[] SeedSites = { "Main", "North" };

    protected readonly TempDirectory Temp = new();
    private ISensoProvider? _provider;

    protected ISensoProvider Provider => _provider ??= OpenProvider();

    protected static CancellationToken None => CancellationToken.None;

    /// <summary>Opens the provider under test over a fresh tenant file in <see cref="Temp"/>.</summary>
    protected abstract ISensoProvider OpenProvider();

    protected static NewSensoUser Teacher(string email, string role = "Teacher", string site = "Main") => new()
    {
        Email = email,
        DisplayName = "Jane Doe",
        Role = role,
        Site = site,
        SourcedIds = new[] { "t-" + email },
    };

    /// <summary>Group owners are Senso users.</summary>
    protected async Task Owners(params string[] emails)
    {
        foreach (string email in emails)
        {
            await Provider.CreateUserAsync(Teacher(email), None);
        }
    }

    [Fact]
    public async Task Roles_and_sites_are_listed_from_the_seed()
    {
        var roles = await Provider.GetRolesAsync(None);
        var sites = await Provider.GetSitesAsync(None);
        Assert.Equal(new[] { "Administrator", "Teacher" }, roles.Select(r => r.Name).OrderBy(n => n));
        Assert.Equal(new[] { "Main", "North" }, sites.Select(s => s.Name).OrderBy(n => n));
        Assert.All(roles, r => Assert.False(string.IsNullOrEmpty(r.Id)));
    }

    [Fact]
    public async Task Create_makes_a_classlink_user_with_the_email_as_username()
    {
        var result = await Provider.CreateUserAsync(Teacher("Jane.Doe@District.org", role: "teacher", site: "north"), None);

        Assert.Equal(CreateUserOutcome.Created, result.Outcome);
        Assert.Equal("jane.doe@district.org", result.User.Email);
        Assert.Equal("Teacher", result.User.Role);
        Assert.Equal("North", result.User.Site);
        Assert.Equal("classlink", result.User.Source);
        Assert.Equal(new[] { "t-Jane.Doe@District.org" }, result.User.SourcedIds);
        Assert.NotEqual(default, result.User.CreatedAt);
    }

    [Fact]
    public async Task Creating_an_existing_user_answers_exists_with_that_user_and_never_duplicates()
    {
        var first = await Provider.CreateUserAsync(Teacher("jane@district.org"), None);
        var second = await Provider.CreateUserAsync(Teacher("  JANE@District.ORG "), None);

        Assert.Equal(CreateUserOutcome.Exists, second.Outcome);
        Assert.Equal(first.User.Id, second.User.Id);
        var page = await Provider.SearchUsersAsync("jane", 10, 0, None);
        Assert.Equal(1, page.Total);
    }

    [Fact]
    public async Task Concurrent_creates_of_one_email_make_exactly_one_user()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => Provider.CreateUserAsync(Teacher(i % 2 == 0 ? "race@district.org" : "RACE@district.org"), None))));

        Assert.Single(results, r => r.Outcome == CreateUserOutcome.Created);
        Assert.Single(results.Select(r => r.User.Id).Distinct());
        Assert.Equal(1, (await Provider.SearchUsersAsync("race@", 10, 0, None)).Total);
    }

    [Fact]
    public async Task Find_by_email_is_exact_and_case_insensitive()
    {
        await Provider.CreateUserAsync(Teacher("ann@district.org"), None);
        await Provider.CreateUserAsync(Teacher("joann@district.org"), None);

        var found = await Provider.FindUserByEmailAsync("ANN@district.org", None);
        Assert.Equal("ann@district.org", found!.Email);
        Assert.Null(await Provider.FindUserByEmailAsync("nn@district.org", None));
    }

    [Fact]
    public async Task Find_by_email_is_never_paged_away()
    {
        for (int i = 0; i < 120; i++)
        {
            await Provider.CreateUserAsync(Teacher($"user{i:000}@district.org"), None);
        }
        var last = await Provider.FindUserByEmailAsync("user119@district.org", None);
        Assert.NotNull(last);
    }

    [Fact]
    public async Task Search_pages_in_email_order_and_counts_all_matches()
    {
        foreach (string email in new[] { "c@x.org", "a@x.org", "b@x.org", "other@y.org" })
        {
            await Provider.CreateUserAsync(Teacher(email), None);
        }
        var page = await Provider.SearchUsersAsync("@X.ORG", 2, 1, None);
        Assert.Equal(3, page.Total);
        Assert.Equal(new[] { "b@x.org", "c@x.org" }, page.Users.Select(u => u.Email));
        var all = await Provider.SearchUsersAsync(null, 100, 0, None);
        Assert.Equal(4, all.Total);
    }

    [Fact]
    public async Task Create_with_an_unknown_role_names_the_closest_roles()
    {
        var error = await Assert.ThrowsAsync<NameNotFoundException>(() => Provider.CreateUserAsync(Teacher("x@d.org", role: "Teachr"), None));
        Assert.Equal("role", error.Kind);
        Assert.Equal("Teacher", error.Closest[0]);
        Assert.Contains("Teachr", error.Message);
        Assert.Null(await Provider.FindUserByEmailAsync("x@d.org", None));
    }

    [Fact]
    public async Task Replace_groups_adds_updates_removes_and_reports_the_diff()
    {
        await Owners("jane@district.org");
        var first = await Provider.ReplaceUserGroupsAsync("Jane@District.org", new[]
        {
            new SensoGroup { Key = "class-1", Name = "Math", Members = new[] { "S1@district.org", "stu-2" } },
            new SensoGroup { Key = "class-2", Name = "Art", Members = new[] { "s3@district.org" } },
        }, None);
        Assert.Equal(new[] { "class-1", "class-2" }, first.Added.OrderBy(k => k));
        Assert.Empty(first.Removed);

        var second = await Provider.ReplaceUserGroupsAsync("jane@district.org", new[]
        {
            new SensoGroup { Key = "class-1", Name = "Math", Members = new[] { "stu-2", "s1@district.org" } },
            new SensoGroup { Key = "class-3", Name = "Music", Members = Array.Empty<string>() },
            new SensoGroup { Key = "class-2", Name = "Art II", Members = new[] { "s3@district.org" } },
        }, None);
        Assert.Equal(new[] { "class-3" }, second.Added);
        Assert.Equal(new[] { "class-2" }, second.Updated);
        Assert.Equal(new[] { "class-1" }, second.Unchanged);
        Assert.Empty(second.Removed);

        var third = await Provider.ReplaceUserGroupsAsync("jane@district.org", new[]
        {
            new SensoGroup { Key = "class-3", Name = "Music", Members = Array.Empty<string>() },
        }, None);
        Assert.Equal(new[] { "class-1", "class-2" }, third.Removed);
        Assert.False((await Provider.ReplaceUserGroupsAsync("jane@district.org", new[]
        {
            new SensoGroup { Key = "class-3", Name = "Music" },
        }, None)).HasChanges);

        var groups = await Provider.GetGroupsAsync(null, None);
        var music = Assert.Single(groups);
        Assert.Equal("class-3", music.Key);
        Assert.Equal(new[] { "jane@district.org" }, music.Owners);
    }

    [Fact]
    public async Task Group_members_are_student_emails_or_sourcedids_and_owners_are_emails()
    {
        await Owners("jane@district.org");
        await Provider.ReplaceUserGroupsAsync("jane@district.org", new[]
        {
            new SensoGroup { Key = "c1", Name = "Math", Owners = new[] { "BOB@district.org" }, Members = new[] { "Kid@District.org", "stu-9", "stu-9" } },
        }, None);
        var group = Assert.Single(await Provider.GetGroupsAsync("JANE@district.org", None));
        Assert.Equal(new[] { "bob@district.org", "jane@district.org" }, group.Owners);
        Assert.Equal(new[] { "kid@district.org", "stu-9" }, group.Members);
        Assert.Equal("Math", group.Name);
    }

    [Fact]
    public async Task A_co_taught_class_is_one_group_that_survives_until_its_last_owner_leaves()
    {
        await Owners("a@d.org", "b@d.org");
        var cotaught = new SensoGroup { Key = "c1", Name = "Biology", Owners = new[] { "a@d.org", "b@d.org" }, Members = new[] { "s@d.org" } };
        await Provider.ReplaceUserGroupsAsync("a@d.org", new[] { cotaught }, None);
        var forB = await Provider.ReplaceUserGroupsAsync("b@d.org", new[] { cotaught }, None);
        Assert.Equal(new[] { "c1" }, forB.Unchanged);
        Assert.Single(await Provider.GetGroupsAsync(null, None));

        var aLeaves = await Provider.ReplaceUserGroupsAsync("a@d.org", Array.Empty<SensoGroup>(), None);
        Assert.Equal(new[] { "c1" }, aLeaves.Removed);
        var remaining = Assert.Single(await Provider.GetGroupsAsync(null, None));
        Assert.Equal(new[] { "b@d.org" }, remaining.Owners);
        Assert.Empty(await Provider.GetGroupsAsync("a@d.org", None));

        await Provider.ReplaceUserGroupsAsync("b@d.org", Array.Empty<SensoGroup>(), None);
        Assert.Empty(await Provider.GetGroupsAsync(null, None));
    }

    [Fact]
    public async Task A_set_with_a_repeated_key_is_refused_whole()
    {
        await Owners("a@d.org");
        await Assert.ThrowsAsync<ArgumentException>(() => Provider.ReplaceUserGroupsAsync("a@d.org", new[]
        {
            new SensoGroup { Key = "c1", Name = "One" },
            new SensoGroup { Key = "c1", Name = "Again" },
        }, None));
        Assert.Empty(await Provider.GetGroupsAsync(null, None));
    }

    [Fact]
    public async Task Groups_of_a_user_senso_does_not_have_are_refused()
    {
        var error = await Assert.ThrowsAsync<SensoUserNotFoundException>(() =>
            Provider.ReplaceUserGroupsAsync("ghost@d.org", new[] { new SensoGroup { Key = "c1", Name = "Math" } }, None));
        Assert.Equal("ghost@d.org", error.Email);
        Assert.Empty(await Provider.GetGroupsAsync(null, None));
    }

    [Fact]
    public async Task Rename_keeps_the_user_its_role_site_sourcedids_and_groups()
    {
        var created = (await Provider.CreateUserAsync(Teacher("old@district.org", role: "Administrator", site: "North"), None)).User;
        await Provider.ReplaceUserGroupsAsync("old@district.org", new[]
        {
            new SensoGroup { Key = "c1", Name = "Math", Members = new[] { "kid@district.org" } },
            new SensoGroup { Key = "c2", Name = "Art", Owners = new[] { "co@district.org" } },
        }, None);

        var renamed = await Provider.RenameUserAsync(created.Id, "  New.Name@District.org ", None);

        Assert.Equal(created.Id, renamed.Id);
        Assert.Equal("new.name@district.org", renamed.Email);
        Assert.Equal("Administrator", renamed.Role);
        Assert.Equal("North", renamed.Site);
        Assert.Equal("classlink", renamed.Source);
        Assert.Equal(created.SourcedIds, renamed.SourcedIds);
        Assert.Equal(created.DisplayName, renamed.DisplayName);
        Assert.Null(await Provider.FindUserByEmailAsync("old@district.org", None));
        Assert.Equal(created.Id, (await Provider.FindUserByEmailAsync("NEW.NAME@district.org", None))!.Id);
        Assert.Equal(1, (await Provider.SearchUsersAsync(null, 10, 0, None)).Total);

        Assert.Empty(await Provider.GetGroupsAsync("old@district.org", None));
        var groups = await Provider.GetGroupsAsync("new.name@district.org", None);
        Assert.Equal(new[] { "c1", "c2" }, groups.Select(g => g.Key));
        Assert.Equal(new[] { "new.name@district.org" }, groups[0].Owners);
        Assert.Equal(new[] { "co@district.org", "new.name@district.org" }, groups[1].Owners);
        Assert.Equal(new[] { "kid@district.org" }, groups[0].Members);

        // The renamed user's groups are replaced under the new email like anyone's.
        var diff = await Provider.ReplaceUserGroupsAsync("new.name@district.org", new[] { groups[0] }, None);
        Assert.Equal(new[] { "c2" }, diff.Removed);
        Assert.Equal(new[] { "c1" }, diff.Unchanged);
    }

    [Fact]
    public async Task Rename_to_the_email_the_user_has_succeeds_and_changes_nothing()
    {
        var created = (await Provider.CreateUserAsync(Teacher("same@district.org"), None)).User;
        await Provider.ReplaceUserGroupsAsync("same@district.org", new[] { new SensoGroup { Key = "c1", Name = "Math" } }, None);

        var again = await Provider.RenameUserAsync(created.Id, "SAME@District.org", None);
        var twice = await Provider.RenameUserAsync(created.Id, "same@district.org", None);

        Assert.Equal(created.Id, again.Id);
        Assert.Equal("same@district.org", again.Email);
        Assert.Equal("same@district.org", twice.Email);
        Assert.Equal(created.CreatedAt, twice.CreatedAt);
        Assert.Single(await Provider.GetGroupsAsync("same@district.org", None));
    }

    [Fact]
    public async Task Rename_to_an_email_another_account_has_is_refused_and_changes_nothing()
    {
        var jane = (await Provider.CreateUserAsync(Teacher("jane@district.org"), None)).User;
        var bob = (await Provider.CreateUserAsync(Teacher("bob@district.org"), None)).User;
        await Provider.ReplaceUserGroupsAsync("jane@district.org", new[] { new SensoGroup { Key = "c1", Name = "Math" } }, None);

        var error = await Assert.ThrowsAsync<SensoEmailInUseException>(() => Provider.RenameUserAsync(jane.Id, "BOB@District.org", None));

        Assert.Equal("bob@district.org", error.Email);
        Assert.Equal(jane.Id, (await Provider.FindUserByEmailAsync("jane@district.org", None))!.Id);
        Assert.Equal(bob.Id, (await Provider.FindUserByEmailAsync("bob@district.org", None))!.Id);
        Assert.Single(await Provider.GetGroupsAsync("jane@district.org", None));
        Assert.Empty(await Provider.GetGroupsAsync("bob@district.org", None));
        Assert.Equal(2, (await Provider.SearchUsersAsync(null, 10, 0, None)).Total);
    }

    [Fact]
    public async Task Rename_of_an_unknown_id_or_to_an_empty_email_is_refused()
    {
        var jane = (await Provider.CreateUserAsync(Teacher("jane@district.org"), None)).User;

        await Assert.ThrowsAsync<SensoUserNotFoundException>(() => Provider.RenameUserAsync("no-such-id", "x@district.org", None));
        await Assert.ThrowsAsync<ArgumentException>(() => Provider.RenameUserAsync(jane.Id, "  ", None));
        Assert.Null(await Provider.FindUserByEmailAsync("x@district.org", None));
        Assert.Equal("jane@district.org", (await Provider.FindUserByEmailAsync("jane@district.org", None))!.Email);
    }

    [Fact]
    public async Task A_new_user_is_active_and_suspending_keeps_its_id_email_role_site_sourcedids_and_groups()
    {
        var created = (await Provider.CreateUserAsync(Teacher("gone@district.org", role: "Administrator", site: "North"), None)).User;
        Assert.Equal(SensoUserStatus.Active, created.Status);
        await Provider.ReplaceUserGroupsAsync("gone@district.org", new[] { new SensoGroup { Key = "c1", Name = "Math", Members = new[] { "kid@district.org" } } }, None);

        var suspended = await Provider.SetUserStatusAsync(created.Id, SensoUserStatus.Suspended, None);

        Assert.Equal(SensoUserStatus.Suspended, suspended.Status);
        Assert.Equal(created.Id, suspended.Id);
        Assert.Equal("gone@district.org", suspended.Email);
        Assert.Equal("Administrator", suspended.Role);
        Assert.Equal("North", suspended.Site);
        Assert.Equal("classlink", suspended.Source);
        Assert.Equal(created.SourcedIds, suspended.SourcedIds);
        Assert.Equal(created.CreatedAt, suspended.CreatedAt);
        Assert.Equal(SensoUserStatus.Suspended, (await Provider.FindUserByEmailAsync("gone@district.org", None))!.Status);
        Assert.Equal(SensoUserStatus.Suspended, Assert.Single((await Provider.SearchUsersAsync(null, 10, 0, None)).Users).Status);
        Assert.Equal(new[] { "c1" }, (await Provider.GetGroupsAsync("gone@district.org", None)).Select(g => g.Key));
    }

    [Fact]
    public async Task Setting_a_status_is_idempotent_and_reactivating_restores_active()
    {
        var created = (await Provider.CreateUserAsync(Teacher("back@district.org"), None)).User;
        var other = (await Provider.CreateUserAsync(Teacher("other@district.org"), None)).User;

        var once = await Provider.SetUserStatusAsync(created.Id, SensoUserStatus.Suspended, None);
        var twice = await Provider.SetUserStatusAsync(created.Id, SensoUserStatus.Suspended, None);
        Assert.Equal(SensoUserStatus.Suspended, once.Status);
        Assert.Equal(SensoUserStatus.Suspended, twice.Status);
        Assert.Equal(SensoUserStatus.Active, (await Provider.FindUserByEmailAsync("other@district.org", None))!.Status);

        var back = await Provider.SetUserStatusAsync(created.Id, SensoUserStatus.Active, None);
        var again = await Provider.SetUserStatusAsync(created.Id, SensoUserStatus.Active, None);
        Assert.Equal(SensoUserStatus.Active, back.Status);
        Assert.Equal(SensoUserStatus.Active, again.Status);
        Assert.Equal(created.Id, back.Id);
        Assert.Equal(other.Id, (await Provider.FindUserByEmailAsync("other@district.org", None))!.Id);
        Assert.Equal(2, (await Provider.SearchUsersAsync(null, 10, 0, None)).Total);
    }

    [Fact]
    public async Task Setting_the_status_of_an_unknown_id_is_refused()
    {
        await Provider.CreateUserAsync(Teacher("jane@district.org"), None);

        await Assert.ThrowsAsync<SensoUserNotFoundException>(() => Provider.SetUserStatusAsync("no-such-id", SensoUserStatus.Suspended, None));
        Assert.Equal(SensoUserStatus.Active, (await Provider.FindUserByEmailAsync("jane@district.org", None))!.Status);
    }

    [Fact]
    public async Task Departure_settings_default_to_off_and_seven_days_and_round_trip()
    {
        var initial = await Provider.GetSettingsAsync(None);
        Assert.False(initial.SuspendDepartedUsers);
        Assert.Equal(7, initial.SuspendAfterDays);

        await Provider.SaveSettingsAsync(new IntegrationSettings { SuspendDepartedUsers = true, SuspendAfterDays = 0 }, None);
        var saved = await Provider.GetSettingsAsync(None);
        Assert.True(saved.SuspendDepartedUsers);
        Assert.Equal(0, saved.SuspendAfterDays);

        await Assert.ThrowsAnyAsync<Exception>(() => Provider.SaveSettingsAsync(new IntegrationSettings { SuspendAfterDays = -1 }, None));
        Assert.Equal(0, (await Provider.GetSettingsAsync(None)).SuspendAfterDays);
    }

    [Fact]
    public async Task Settings_default_to_off_and_round_trip_with_resolved_names()
    {
        var initial = await Provider.GetSettingsAsync(None);
        Assert.False(initial.AutomaticallyCreateUsers);
        Assert.Null(initial.DefaultRole);
        Assert.Null(initial.DefaultSite);

        await Provider.SaveSettingsAsync(new IntegrationSettings { AutomaticallyCreateUsers = true, DefaultRole = "teacher", DefaultSite = "North" }, None);
        var saved = await Provider.GetSettingsAsync(None);
        Assert.True(saved.AutomaticallyCreateUsers);
        Assert.Equal("Teacher", saved.DefaultRole);
        Assert.Equal("North", saved.DefaultSite);

        await Assert.ThrowsAsync<NameNotFoundException>(() => Provider.SaveSettingsAsync(new IntegrationSettings { DefaultSite = "Nowhere" }, None));
        Assert.Equal("North", (await Provider.GetSettingsAsync(None)).DefaultSite);
    }

    public virtual void Dispose()
    {
        _provider?.Dispose();
        Temp.Dispose();
    }
}
