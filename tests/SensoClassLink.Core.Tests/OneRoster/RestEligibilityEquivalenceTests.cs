using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.OneRoster.Rest;
using Xunit;
using static SensoClassLink.Core.Tests.OneRoster.RestTestContext;

namespace SensoClassLink.Core.Tests.OneRoster;

/// <summary>The issue's acceptance: the eligibility engine gives the same answer over CSV, REST 1.1 and REST 1.2, and over a teacher scope.</summary>
public sealed class RestEligibilityEquivalenceTests
{
    private static readonly DateTime AsOf = new(2025, 10, 1);

    private static List<string> Render(RosterEvaluation evaluation) => evaluation.Teachers
        .Select(Render)
        .Order(StringComparer.Ordinal)
        .ToList();

    private static string Render(TeacherEligibility t) =>
        $"{t.Email}|{t.GivenName}|{t.FamilyName}|{string.Join(",", t.SourcedIds.Order(StringComparer.Ordinal))}|{string.Join(",", t.SchoolSourcedIds.Order(StringComparer.Ordinal))}|" +
        $"{string.Join(",", t.SchoolNames.Order(StringComparer.Ordinal))}|{string.Join(";", t.Classes.Select(c => $"{c.SourcedId}:{c.Title}:{c.SchoolName}:{c.StudentCount}").Order(StringComparer.Ordinal))}|" +
        $"{t.PopulatedClassCount}|{t.StudentCount}|{t.Reason}";

    [Fact]
    public async Task CsvRest11WithOAuth1AndRest12WithOAuth2GiveTheSameEligibility()
    {
        await using var server = await StartAsync(maxPageSize: 5);
        List<string> csv;
        using (var source = new CsvRosterSource(DataFolder))
        {
            csv = Render(EligibilityEngine.Evaluate(source, AsOf, RosterReadObserver.None, default));
        }
        using var v11 = Open(OAuth1(server, OneRosterVersion.V1_1));
        using var v12 = Open(OAuth2(server, OneRosterVersion.V1_2));

        Assert.Contains(csv, line => line.EndsWith("|Eligible", StringComparison.Ordinal));
        Assert.Contains(csv, line => !line.EndsWith("|Eligible", StringComparison.Ordinal));
        Assert.Equal(csv, Render(EligibilityEngine.Evaluate(v11, AsOf, RosterReadObserver.None, default)));
        Assert.Equal(csv, Render(EligibilityEngine.Evaluate(v12, AsOf, RosterReadObserver.None, default)));
    }

    [Theory]
    [InlineData("jane.doe@riverside.org")]
    [InlineData("omer.celik@riverside.org")]
    [InlineData("Bob.Smith@Riverside.org")]
    [InlineData("dee.space@riverside.org")]
    [InlineData("ann.o'neil@riverside.org")]
    [InlineData("eve.gone@riverside.org")]
    public async Task TheTeacherScopeGivesThatTeacherTheSameEligibilityAsTheFullRoster(string email)
    {
        await using var server = await StartAsync(maxPageSize: 50);
        using var full = Open(OAuth1(server, pageSize: 50));
        var expected = EligibilityEngine.Evaluate(full, AsOf, RosterReadObserver.None, default).Find(email);
        Assert.NotNull(expected);

        using var source = Open(OAuth1(server, pageSize: 50));
        using var scoped = source.ScopeToTeacher(email);
        var actual = EligibilityEngine.Evaluate(scoped, AsOf, RosterReadObserver.None, default).Find(email);

        Assert.NotNull(actual);
        Assert.Equal(Render(expected!), Render(actual!));
    }
}
