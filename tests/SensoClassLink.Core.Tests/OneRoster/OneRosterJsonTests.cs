using System.Net;
using System.Text;
using SensoClassLink.Core.Http;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.OneRoster.Rest;
using Xunit;

namespace SensoClassLink.Core.Tests.OneRoster;

public sealed class OneRosterJsonTests
{
    private static HttpResponseMessage Json(string body, HttpStatusCode status = HttpStatusCode.OK, string mediaType = "application/json") =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };

    [Fact]
    public void UsersFrom11And12WithStringOrJsonBooleansUnknownRolesAndExtraFields()
    {
        using var response = Json("""
            {"users":[
              {"sourcedId":"u1","status":"active","enabledUser":"true","role":"Teacher","orgs":[{"href":"https://other.host/orgs/9","sourcedId":"s1","type":"org"},{"sourcedId":"d1","type":"org"}],
               "givenName":"Jane","familyName":"Doe","email":"jane@x.org","username":"jd","identifier":"7","metadata":{"ext":1},"x-custom":[1,2]},
              {"sourcedId":"u2","status":"tobedeleted","enabledUser":false,"roles":[{"roleType":"primary","role":"teacher","org":{"sourcedId":"s1"}},
               {"roleType":"secondary","role":"ext:coach","org":{"sourcedId":"s2"}},{"roleType":"secondary","role":"teacher","org":{"sourcedId":"s2"}}],
               "givenName":"Ömer","familyName":null,"email":""},
              {"sourcedId":"u3","role":"principal","orgs":[]}
            ],"statusInfoSet":[{"imsx_codeMajor":"success","imsx_severity":"warning","imsx_description":"invalid_sort_field"}]}
            """);
        var users = OneRosterResponseReader.ReadPage(response, RosterCollections.Users, "GET /users (offset 0)", null);

        Assert.Equal(3, users.Count);
        Assert.Equal(new[] { "teacher" }, users[0].Roles);
        Assert.Equal(new[] { "s1", "d1" }, users[0].OrgSourcedIds);
        Assert.Equal("true", users[0].EnabledUser);
        Assert.Equal(("Jane", "Doe", "jane@x.org", "jd", "7"), (users[0].GivenName, users[0].FamilyName, users[0].Email, users[0].Username, users[0].Identifier));
        Assert.Equal(new[] { "teacher", "ext:coach" }, users[1].Roles);
        Assert.Equal(new[] { "s1", "s2" }, users[1].OrgSourcedIds);
        Assert.Equal("false", users[1].EnabledUser);
        Assert.Equal("", users[1].FamilyName);
        Assert.Equal(new[] { "principal" }, users[2].Roles);
    }

    [Fact]
    public void EnvelopeFollowsTheResourceTypeWithTheEndpointNameAsFallback()
    {
        using var users = Json("""{"users":[{"sourcedId":"a"}]}""");
        Assert.Single(OneRosterResponseReader.ReadPage(users, RosterCollections.Users, "GET /teachers", "teachers"));
        using var teachers = Json("""{"teachers":[{"sourcedId":"a"},{"sourcedId":"b"}]}""");
        Assert.Equal(2, OneRosterResponseReader.ReadPage(teachers, RosterCollections.Users, "GET /teachers", "teachers").Count);
        using var empty = Json("""{"users":[]}""");
        Assert.Empty(OneRosterResponseReader.ReadPage(empty, RosterCollections.Users, "GET /users", null));
    }

    [Fact]
    public void EnrollmentsAndClassesReadGuidRefsNeverHrefs()
    {
        using var response = Json("""{"enrollments":[{"sourcedId":"e1","status":"active","user":{"href":"https://evil/users/x","sourcedId":"u1"},"class":{"sourcedId":"c1"},"school":{"sourcedId":"s1"},"role":"Student","primary":false,"beginDate":"2025-08-01","endDate":""}]}""");
        var e = Assert.Single(OneRosterResponseReader.ReadPage(response, RosterCollections.Enrollments, "GET /enrollments", null));
        Assert.Equal(("u1", "c1", "s1", "student", "2025-08-01", ""), (e.UserSourcedId, e.ClassSourcedId, e.SchoolSourcedId, e.Role, e.BeginDate, e.EndDate));
    }

    [Theory]
    [InlineData("""{"users":[{"sourcedId":"a"},{"sourcedId":""", "truncated or not JSON")]
    [InlineData("""{"data":[]}""", "without the 'users' array")]
    [InlineData("""{"users":{"sourcedId":"a"}}""", "without the 'users' array")]
    [InlineData("""[{"sourcedId":"a"}]""", "not an object")]
    [InlineData("""{"users":[]} {"users":[]}""", "truncated or not JSON")]
    [InlineData("", "not an object")]
    [InlineData("<html><body>Gateway</body></html>", "truncated or not JSON")]
    public void UnusableBodiesAreFailedPagesNotEmptyOnes(string body, string expected)
    {
        using var response = Json(body);
        var error = Assert.Throws<RetryableResponseException>(() => OneRosterResponseReader.ReadPage(response, RosterCollections.Users, "GET /users (offset 0)", null));
        Assert.Contains(expected, error.Message);
        Assert.Contains("GET /users (offset 0)", error.Message);
        Assert.Null(error.InnerException);
    }

    [Fact]
    public void HtmlContentTypeIsAFailedPage()
    {
        using var response = Json("{\"users\":[]}", mediaType: "text/html");
        Assert.Contains("HTML page", Assert.Throws<RetryableResponseException>(() => OneRosterResponseReader.ReadPage(response, RosterCollections.Users, "GET /users", null)).Message);
    }

    [Fact]
    public void AFailureStatusInfoSetIsAnErrorEvenNextToData()
    {
        using var response = Json("""{"users":[{"sourcedId":"a"}],"statusInfoSet":[{"imsx_codeMajor":"failure","imsx_severity":"error","imsx_description":"Permission revoked\nfor app"}]}""");
        var error = Assert.Throws<RosterReadException>(() => OneRosterResponseReader.ReadPage(response, RosterCollections.Users, "GET /users (offset 0)", null));
        Assert.Equal("GET /users (offset 0) reported a failure (HTTP 200, imsx_codeMajor 'failure'): Permission revoked for app", error.Message);
    }

    /// <summary>
    /// A set is only parsed when its bytes could hold a failure; these pin both sides of that shortcut: a failure
    /// written in capitals, spelled with an escape, or in a single statusInfo object is still found, and a warning
    /// set (what a 1.1 server sends on every page for an unknown selection field) lets the records through.
    /// </summary>
    [Theory]
    [InlineData("""{"statusInfoSet":[{"imsx_codeMajor":"FAILURE","imsx_description":"gone"}]}""")]
    [InlineData("""{"statusInfoSet":[{"imsx_codeMajor":"f\u0061ilure","imsx_description":"gone"}]}""")]
    [InlineData("""{"imsx_statusInfo":{"imsx_codeMajor":"Failure","imsx_description":"gone"}}""")]
    [InlineData("""{"statusInfoSet":[{"imsx_codeMajor":"success","imsx_severity":"warning"},{"imsx_codeMajor":"failure","imsx_description":"gone"}]}""")]
    public void AFailureIsFoundHoweverItIsWritten(string envelope)
    {
        using var response = Json(envelope.Insert(1, "\"users\":[{\"sourcedId\":\"a\"}],"));
        var error = Assert.Throws<RosterReadException>(() => OneRosterResponseReader.ReadPage(response, RosterCollections.Users, "GET /users", null));
        Assert.Contains("reported a failure", error.Message);
    }

    [Theory]
    [InlineData("""{"statusInfoSet":[{"imsx_codeMajor":"success","imsx_severity":"warning","imsx_description":"Unknown selection field(s) ignored.","imsx_CodeMinor":{"imsx_codeMinorField":[{"imsx_codeMinorFieldName":"TargetEndSystem","imsx_codeMinorFieldValue":"invalid_selection_field"}]}}]}""")]
    [InlineData("""{"statusInfoSet":[{"imsx_codeMajor":"success","imsx_description":"no failures today"}]}""")]
    [InlineData("""{"statusInfoSet":[]}""")]
    public void AWarningOrSuccessSetLetsTheRecordsThrough(string envelope)
    {
        using var response = Json(envelope.Insert(1, "\"users\":[{\"sourcedId\":\"a\"}],"));
        Assert.Equal("a", Assert.Single(OneRosterResponseReader.ReadPage(response, RosterCollections.Users, "GET /users", null)).SourcedId);
    }
}
