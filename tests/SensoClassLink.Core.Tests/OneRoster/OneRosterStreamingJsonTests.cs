using System.Net;
using System.Text;
using Newtonsoft.Json.Linq;
using SensoClassLink.Core.Http;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.OneRoster.Rest;
using Xunit;

namespace SensoClassLink.Core.Tests.OneRoster;

/// <summary>
/// The token-by-token record reader (issue 10 item 4): the same records as the JObject mapping it replaced, the same
/// refusals of broken bodies, and the REST value rules of issue 12 item 9.
/// </summary>
public sealed class OneRosterStreamingJsonTests
{
    private static HttpResponseMessage Json(string body) => new(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static List<T> Read<T>(string body, RosterCollection<T> collection)
    {
        using var response = Json(body);
        return OneRosterResponseReader.ReadPage(response, collection, "GET /x (offset 0)", null);
    }

    // The mapping the reader replaced (Newtonsoft JObject per record), kept here as the reference.
    private static string Text(JObject o, string name) => o[name] switch
    {
        null => "",
        { Type: JTokenType.Null } => "",
        { Type: JTokenType.Boolean } b => (bool)b ? "true" : "false",
        { Type: JTokenType.String } s => (string?)s ?? "",
        JValue v => Convert.ToString(v.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
        _ => "",
    };

    private static string Ref(JToken? token) => token is JObject o ? Text(o, "sourcedId") : "";

    private static string ReferenceUser(JObject o)
    {
        var roles = new List<string>();
        var orgs = new List<string>();
        void Add(List<string> list, string value)
        {
            if (value.Length > 0 && !list.Contains(value))
            {
                list.Add(value);
            }
        }
        Add(roles, Text(o, "role").Trim().ToLowerInvariant());
        if (o["orgs"] is JArray orgArray)
        {
            foreach (var org in orgArray)
            {
                Add(orgs, Ref(org));
            }
        }
        if (o["roles"] is JArray roleArray)
        {
            foreach (var entry in roleArray)
            {
                if (entry is JObject role)
                {
                    Add(roles, Text(role, "role").Trim().ToLowerInvariant());
                    Add(orgs, Ref(role["org"]));
                }
                else if (entry.Type == JTokenType.String)
                {
                    Add(roles, ((string?)entry ?? "").Trim().ToLowerInvariant());
                }
            }
        }
        return $"{Text(o, "sourcedId")}|{Text(o, "status")}|{string.Join(",", roles)}|{string.Join(",", orgs)}|{Text(o, "username")}|{Text(o, "givenName")}|{Text(o, "familyName")}|{Text(o, "email")}|{Text(o, "identifier")}";
    }

    private static string Render(RosterUser u) =>
        $"{u.SourcedId}|{u.Status}|{string.Join(",", u.Roles)}|{string.Join(",", u.OrgSourcedIds)}|{u.Username}|{u.GivenName}|{u.FamilyName}|{u.Email}|{u.Identifier}";

    [Fact]
    public void UsersReadTokenByTokenEqualTheTreeMappingOnAwkwardJson()
    {
        const string body = """
            {"meta":{"deep":[[[{"a":[1,2,{"b":null}]}]]]},"users":[
              {"sourcedId":"u1","role":"Teacher","orgs":[{"href":"x","sourcedId":"s1"},"not-a-ref",{"sourcedId":7},{"sourcedId":"s1"}],"givenName":"Jos\u00e9 \ud83d\ude00","familyName":"O'Brien \"Jr\"","email":" a@b.org ","username":12345678901234567890123,"identifier":1.50},
              {"sourcedId":"u2","roles":["Student",{"role":" TEACHER ","org":{"sourcedId":"s2","type":"org"}},{"role":"aide"},5,null],"role":"","orgs":{"sourcedId":"ignored"}},
              {"sourcedId":"u3","sourcedId":"u3-last","givenName":"first","givenName":"second","email":null,"identifier":true,"familyName":{"x":1},"username":[1]},
              {"sourced\u0049d":"u4","st\u0061tus":"ToBeDeleted","role":"teacher","orgs":[]},
              "a string in the envelope is skipped", 17, null,
              {"sourcedId":"u5","role":"student","givenName":"Zoë Ångström Nguyễn","identifier":-0,"username":1e3,"email":"tab\there"}
            ],"statusInfoSet":[{"imsx_codeMajor":"success","imsx_severity":"warning"}]}
            """;
        var expected = JObject.Parse(body)["users"]!.OfType<JObject>().Select(ReferenceUser).ToList();
        var actual = Read(body, RosterCollections.Users).Select(Render).ToList();
        Assert.Equal(expected, actual);
        Assert.Equal(5, actual.Count);
    }

    [Fact]
    public void EnrollmentsClassesAndOrgsEqualTheTreeMapping()
    {
        const string enrollments = """{"enrollments":[{"sourcedId":"e1","status":"active","user":{"href":"h","sourcedId":"u1"},"class":{"sourcedId":"c1"},"school":"s1","role":" Student ","beginDate":"2025-08-01","endDate":""},{"sourcedId":"e2","user":{"sourcedId":"u2","sourcedId":"u2b"},"class":null,"role":"TEACHER","metadata":{"x":[{"y":"z"}]}}]}""";
        var e = Read(enrollments, RosterCollections.Enrollments);
        Assert.Equal(("e1", "active", "u1", "c1", "", "student", "2025-08-01", ""), (e[0].SourcedId, e[0].Status, e[0].UserSourcedId, e[0].ClassSourcedId, e[0].SchoolSourcedId, e[0].Role, e[0].BeginDate, e[0].EndDate));
        Assert.Equal(("e2", "u2b", "", "teacher"), (e[1].SourcedId, e[1].UserSourcedId, e[1].ClassSourcedId, e[1].Role));

        var c = Assert.Single(Read("""{"classes":[{"sourcedId":"c1","title":"Bio \u2014 1","classCode":"B1","school":{"sourcedId":"s1"},"course":{"sourcedId":"k1"},"terms":[{"sourcedId":"t"}]}]}""", RosterCollections.Classes));
        Assert.Equal(("c1", "Bio \u2014 1", "B1", "s1", "k1"), (c.SourcedId, c.Title, c.ClassCode, c.SchoolSourcedId, c.CourseSourcedId));

        var o = Read("""{"orgs":[{"sourcedId":"d","name":"District","type":"district"},{"sourcedId":"s","name":"School","type":"school","parent":{"sourcedId":"d"}},{"sourcedId":"x","parent":{"sourcedId":""}}]}""", RosterCollections.Orgs);
        Assert.Equal(new string?[] { null, "d", null }, o.Select(x => x.ParentSourcedId));
        Assert.Equal("School", o[1].Name);
    }

    [Theory]
    [InlineData("[\"1\",\" 2 \",\"\",\"1\"]", "1|2")] // trimmed, blanks and repeats dropped
    [InlineData("\"3, 4\"", "3|4")] // some exports send one comma-separated string
    [InlineData("[5,{\"x\":1},\"6\"]", "6")] // only string elements are periods
    [InlineData("null", "")]
    [InlineData("{}", "")]
    public void A_class_s_periods_are_read_from_an_array_or_a_list_string(string periods, string expected)
    {
        var c = Assert.Single(Read("{\"classes\":[{\"sourcedId\":\"c1\",\"periods\":" + periods + ",\"title\":\"Bio\"}]}", RosterCollections.Classes));
        Assert.Equal((expected, "Bio"), (string.Join("|", c.Periods), c.Title));
    }

    [Theory]
    [InlineData("\"true\"", "true")]
    [InlineData("true", "true")]
    [InlineData("\"TRUE\"", "true")]
    [InlineData("\"Yes\"", "true")]
    [InlineData("\"1\"", "true")]
    [InlineData("1", "true")]
    [InlineData("\"false\"", "false")]
    [InlineData("false", "false")]
    [InlineData("\"No\"", "false")]
    [InlineData("\"0\"", "false")]
    [InlineData("0", "false")]
    [InlineData("\"\"", "")]
    [InlineData("null", "")]
    [InlineData("\"maybe\"", "maybe")]
    public void EnabledUserIsABooleanAsJsonOrAsAnyCommonString(string json, string expected)
    {
        var user = Assert.Single(Read($$"""{"users":[{"sourcedId":"u","enabledUser":{{json}}}]}""", RosterCollections.Users));
        Assert.Equal(expected, user.EnabledUser);
        Assert.Equal(expected != "false", RosterStatus.IsEnabled(user.EnabledUser));
    }

    [Theory]
    [InlineData("2025-08-01", "2025-08-01")]
    [InlineData("2025-08-01T00:00:00Z", "2025-08-01")]
    [InlineData("2025-08-01T07:30:00.000-05:00", "2025-08-01")]
    [InlineData("2025-08-01 07:30:00", "2025-08-01")]
    [InlineData(" 2025-08-01 ", "2025-08-01")]
    [InlineData("01/08/2025", "01/08/2025")]
    public void EnrollmentDatesAreReadAsDatesOrLeftForTheRulesToRefuse(string value, string expected)
    {
        var e = Assert.Single(Read($$"""{"enrollments":[{"sourcedId":"e","beginDate":"{{value}}","endDate":"{{value}}"}]}""", RosterCollections.Enrollments));
        Assert.Equal((expected, expected), (e.BeginDate, e.EndDate));
    }

    [Theory]
    [InlineData("""{"users":[{"sourcedId":"a"},]}""")]
    [InlineData("""{"users":[{"sourcedId":"a",}]}""")]
    [InlineData("""{"users":[{"sourcedId":"a"}],}""")]
    [InlineData("""{"users":[{"sourcedId":"a" "x":1}]}""")]
    [InlineData("""{"users":[{"sourcedId":"a\q"}]}""")]
    [InlineData("""{"users":[{"sourcedId":"a\u12"}]}""")]
    [InlineData("""{"users":[{"sourcedId":tru}]}""")]
    [InlineData("""{"users":[{"sourcedId":01x}]}""")]
    [InlineData("""{"users":[{"sourcedId":"a"}]""")]
    [InlineData("""{"users":[{"sourcedId":"a"}]}x""")]
    [InlineData("""{"users":[{"sourcedId":'a'}]}""")]
    public void BrokenBodiesAreFailedPages(string body)
    {
        using var response = Json(body);
        var error = Assert.Throws<RetryableResponseException>(() => OneRosterResponseReader.ReadPage(response, RosterCollections.Users, "GET /users (offset 0)", null));
        Assert.Contains("truncated or not JSON", error.Message);
        Assert.DoesNotContain("sourcedId", error.Message);
    }

    [Fact]
    public void NestingDeeperThanTheOldReaderAllowedIsRefusedAndABomIsNot()
    {
        string deep = """{"users":[],"x":""" + new string('[', 70) + new string(']', 70) + "}";
        using (var response = Json(deep))
        {
            Assert.Throws<RetryableResponseException>(() => OneRosterResponseReader.ReadPage(response, RosterCollections.Users, "GET /users", null));
        }
        using var bom = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""{"users":[{"sourcedId":"a"}]}""")).ToArray()) };
        Assert.Equal("a", Assert.Single(OneRosterResponseReader.ReadPage(bom, RosterCollections.Users, "GET /users", null)).SourcedId);
    }

    [Fact]
    public void AFailureStatusAfterTheDataOrUnderAnotherNameIsStillAnError()
    {
        using var response = Json("""{"users":[{"sourcedId":"a"}],"imsx_StatusInfo":{"imsx_codeMajor":"Failure","imsx_description":"2025-01-01T00:00:00Z is when it broke"}}""");
        var error = Assert.Throws<RosterReadException>(() => OneRosterResponseReader.ReadPage(response, RosterCollections.Users, "GET /users (offset 0)", null));
        Assert.EndsWith("2025-01-01T00:00:00Z is when it broke", error.Message);
    }

    [Fact]
    public void ASingleRecordAnswerIsReadTheSameWay()
    {
        using var ok = Json("""{"statusInfoSet":[],"user":{"sourcedId":"u1","enabledUser":"no","role":"Teacher","orgs":[{"sourcedId":"s1"}]}}""");
        var user = OneRosterResponseReader.ReadSingle(ok, RosterCollections.Users, "GET users/{id}");
        Assert.Equal(("u1", "false", "teacher", "s1"), (user.SourcedId, user.EnabledUser, user.Roles.Single(), user.OrgSourcedIds.Single()));

        using var markup = Json("  <html>busy</html>");
        Assert.Contains("markup", Assert.Throws<RetryableResponseException>(() => OneRosterResponseReader.ReadSingle(markup, RosterCollections.Users, "GET users/{id}")).Message);
        using var missing = Json("""{"users":[]}""");
        Assert.Contains("without the 'user' object", Assert.Throws<RetryableResponseException>(() => OneRosterResponseReader.ReadSingle(missing, RosterCollections.Users, "GET users/{id}")).Message);
        using var failure = Json("""{"user":{"sourcedId":"u1"},"statusInfoSet":[{"imsx_codeMajor":"failure","imsx_description":"gone"}]}""");
        Assert.EndsWith("gone", Assert.Throws<RosterReadException>(() => OneRosterResponseReader.ReadSingle(failure, RosterCollections.Users, "GET users/{id}")).Message);
    }
}
