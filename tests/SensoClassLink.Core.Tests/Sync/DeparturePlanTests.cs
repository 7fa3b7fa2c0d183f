using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.Senso;
using SensoClassLink.Core.State;
using SensoClassLink.Core.Sync;
using Xunit;

namespace SensoClassLink.Core.Tests.Sync;

/// <summary>The departure rules alone: who has departed, the day count, who is due, who returns, and how the shrink guard weighs them.</summary>
public sealed class DeparturePlanTests
{
    private static readonly DateTime AsOf = new(2025, 3, 10);
    private static readonly Dictionary<string, DateTime> None = new();

    private static TeacherEligibility Teacher(string email, string sourcedId, bool active = true) =>
        new(email, "G", "F", new[] { sourcedId }, Array.Empty<string>(), Array.Empty<string>(), Array.Empty<TeacherClass>(), 0,
            active ? EligibilityReason.NoClasses : EligibilityReason.Inactive) { HasActiveRecord = active };

    private static SensoUser User(string id, string email, string sourcedId, string source = "classlink", SensoUserStatus status = SensoUserStatus.Active) =>
        new() { Id = id, Email = email, Source = source, SourcedIds = new[] { sourcedId }, Status = status };

    [Fact]
    public void A_user_is_present_by_any_sourcedId_or_by_email_of_an_active_record_and_departed_otherwise()
    {
        var teachers = new[] { Teacher("a.new@d.org", "a"), Teacher("b@d.org", "b-other"), Teacher("c@d.org", "c", active: false) };
        var users = new[] { User("1", "a@d.org", "a"), User("2", "b@d.org", "b"), User("3", "c@d.org", "c"), User("4", "gone@d.org", "g") };

        var plan = DeparturePlan.For(teachers, users, None, AsOf, suspendDepartedUsers: false, suspendAfterDays: 7);

        Assert.Equal(new[] { "c@d.org", "gone@d.org" }, plan.Departed.Select(d => d.Email));
        Assert.All(plan.Departed, d => Assert.False(d.Suspend));
        Assert.Equal(2, plan.NewDepartures);
    }

    [Theory]
    [InlineData(0, 0, true)]
    [InlineData(2, 1, false)]
    [InlineData(2, 2, true)]
    [InlineData(7, 30, true)]
    public void Due_when_the_calendar_days_since_the_first_departed_date_reach_SuspendAfterDays(int afterDays, int daysAgo, bool suspend)
    {
        var tracked = new Dictionary<string, DateTime> { ["1"] = AsOf.AddDays(-daysAgo) };

        var plan = DeparturePlan.For(Array.Empty<TeacherEligibility>(), new[] { User("1", "a@d.org", "a") }, daysAgo == 0 ? None : tracked, AsOf, true, afterDays);

        var departed = Assert.Single(plan.Departed);
        Assert.Equal((daysAgo, suspend), (departed.DaysDeparted, departed.Suspend));
        Assert.Equal(AsOf.AddDays(-daysAgo), plan.Tracking["1"]);
    }

    [Fact]
    public void An_already_suspended_user_is_due_but_not_suspended_again_and_an_earlier_as_of_moves_the_first_date_back()
    {
        var tracked = new Dictionary<string, DateTime> { ["1"] = AsOf.AddDays(3) };
        var plan = DeparturePlan.For(Array.Empty<TeacherEligibility>(), new[] { User("1", "a@d.org", "a", status: SensoUserStatus.Suspended) }, tracked, AsOf, true, 0);

        var departed = Assert.Single(plan.Departed);
        Assert.Equal((true, false, 0), (departed.Due, departed.Suspend, departed.DaysDeparted));
        Assert.Equal(AsOf, plan.Tracking["1"]);
        Assert.Empty(plan.Suspensions);
    }

    [Fact]
    public void A_suspended_user_with_an_active_record_is_reactivated_and_hand_made_users_never_take_part()
    {
        var teachers = new[] { Teacher("a@d.org", "a"), Teacher("h@d.org", "h") };
        var users = new[]
        {
            User("1", "a@d.org", "a", status: SensoUserStatus.Suspended),
            User("2", "h@d.org", "h", source: "senso", status: SensoUserStatus.Suspended),
            User("3", "x@d.org", "x", source: "senso"),
        };

        var plan = DeparturePlan.For(teachers, users, None, AsOf, true, 0);

        Assert.Equal(new[] { "1" }, plan.Reactivations.Select(u => u.Id));
        Assert.Empty(plan.Departed);
    }

    [Theory]
    [InlineData(true, 11, 20, true)]
    [InlineData(true, 10, 20, false)]
    [InlineData(true, 10, 19, false)] // too few users to judge
    [InlineData(false, 20, 20, false)] // no baseline yet: departures before the upgrade are not a mass departure
    public void The_shrink_guard_holds_when_more_than_half_of_the_ClassLink_users_newly_departed(bool baseline, int newDepartures, int users, bool holds)
    {
        var reasons = ShrinkGuard.CheckDepartures(baseline, newDepartures, users);

        Assert.Equal(holds, reasons.Count > 0);
        if (holds)
        {
            Assert.Contains($"{newDepartures} of {users} ClassLink users in Senso left the roster", reasons[0]);
        }
    }

    [Fact]
    public void The_departure_store_keeps_first_dates_by_user_id_across_reopening_and_records_a_baseline()
    {
        using var temp = new TempDirectory();
        using (var state = new StateStore(temp.File("state.db")))
        {
            Assert.False(state.Departures.HasBaseline);
            state.Departures.ReplaceAll(new Dictionary<string, DateTime> { ["u1"] = AsOf, ["u2"] = AsOf.AddDays(-4) });
        }
        using (var state = new StateStore(temp.File("state.db")))
        {
            Assert.True(state.Departures.HasBaseline);
            Assert.Equal(new[] { ("u1", AsOf), ("u2", AsOf.AddDays(-4)) }, state.Departures.GetAll().OrderBy(p => p.Key).Select(p => (p.Key, p.Value)));
            state.Departures.ReplaceAll(new Dictionary<string, DateTime>());
            Assert.Empty(state.Departures.GetAll());
            Assert.True(state.Departures.HasBaseline);
        }
    }
}
