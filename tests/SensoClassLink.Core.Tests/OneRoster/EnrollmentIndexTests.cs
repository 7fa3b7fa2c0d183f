using System.Net;
using System.Text;
using SensoClassLink.Core.Http;
using SensoClassLink.Core.OneRoster.Rest;
using Xunit;

namespace SensoClassLink.Core.Tests.OneRoster;

/// <summary>
/// The pass that checks an enrollment page and notes each record's tokens (<see cref="EnrollmentRowReader.Index"/>)
/// must note exactly what a walk with the cursor's general calls notes (the way Index was first written), and refuse
/// exactly the bodies the general skip refuses: it has a fast path of its own for the usual compact records.
/// </summary>
public sealed class EnrollmentIndexTests
{
    private static readonly byte[] Envelope = Encoding.UTF8.GetBytes("enrollments");

    /// <summary>Records that reach every branch: compact and spaced, escaped names, every kind of value, repeats, near-miss names.</summary>
    private const string VariedPage = """
        {"meta":{"deep":[[{"a":[1,{"b":null}]}]]},"enrollments":[
        {"sourcedId":"e1","status":"active","dateLastModified":"2025-08-15T13:02:11.000Z","metadata":{"ext.vendor":"kept","n":[1,2.5,{"x":true}]},"user":{"href":"https://elsewhere.invalid/ims/oneroster/v1p1/users/stu-000001","sourcedId":"stu-000001","type":"user"},"class":{"href":"https://elsewhere.invalid/ims/oneroster/v1p1/classs/cls-0000001","sourcedId":"cls-0000001","type":"class"},"school":{"href":"h","sourcedId":"sch-1","type":"org"},"role":"student","primary":"false","beginDate":"2025-08-01","endDate":"2026-07-01"},
          {  "sourcedId" : "e2" ,
        	"status":
        "active" , "user" : { "href" : "h" , "sourcedId" : "u2" , "type" : "user" } , "class":{ "sourcedId":"c2"} ,"role" :"teacher" , "beginDate":"" , "endDate" : "2026-07-01T00:00:00Z"   }  ,
        {"sourced\u0049d":"e\u00333","st\u0061tus":"tobedeleted","\u0075ser":{"sourced\u0049d":"u\"3\""},"cl\u0061ss":{"\u0073ourcedId":"c3"},"r\u006fle":"Te\u0061cher","b\u0065ginDate":"2025-08-01","\u0065ndDate":"x\\y\/z\b\f\n\r\t"},
        {"sourcedId":12345678901234567890123,"status":true,"role":false,"beginDate":null,"endDate":-1.5e+3,"user":{"sourcedId":0},"class":{"sourcedId":-0.25E-2}},
        {"sourcedId":"e5","class":[{"sourcedId":"not-a-ref"}],"user":{"sourcedId":{"x":[1,[2,{}]]}},"role":{"a":[]},"status":[],"beginDate":{},"endDate":[[]],"metadata":{"a":{"b":{"c":[[],{}]}}}},
        {"sourcedId":"first","sourcedId":"last","user":{"sourcedId":"a","sourcedId":"b"},"class":{"sourcedId":"c6"},"class":{"href":"no-id"},"role":"student","role":"teacher"},
        {},
        {"x":1},
        "a string element", 17, null, [1,{"sourcedId":"in-an-array"}], true,
        {"sourcedIdx":"no","use":"no","users":"no","Role":"no","classes":"no","beginDateX":"no","endDat":"no","statuss":"no","":"empty","sourcedid":"no","sourcedId":"e9"},
        {"sourcedId":"e10","user":"a string ref","class":null,"role":"Zoë Ångström","beginDate":"2025-08-01","endDate":""},
        {"sourcedId":"e11","user":{"sourcedId":true},"class":{"sourcedId":null},"status":"active"},
        {"sourcedId":"e12","user":{},"class":{"type":"class","sourcedId":"c12","sourcedId":"c12-last"}},
        {"sourcedId":"e13","role" :"teacher","user":{"sourcedId" :"u13"}},
        {"sourcedId":"e14","user":{"sourcedId":"u14"}, "role":"student"}
        ],"statusInfoSet":[{"imsx_codeMajor":"success","imsx_severity":"warning"}],"tail":[]}
        """;

    /// <summary>A record in the form the bench server sends (field selection on), with its values made from <paramref name="i"/>.</summary>
    private static string BenchRecord(int i) =>
        $$$"""{"sourcedId":"enr-{{{i}}}","status":"","user":{"href":"https://elsewhere.invalid/ims/oneroster/v1p1/users/tch-{{{i:D6}}}","sourcedId":"tch-{{{i:D6}}}","type":"user"},"class":{"href":"https://elsewhere.invalid/ims/oneroster/v1p1/classs/cls-{{{i / 3:D7}}}","sourcedId":"cls-{{{i / 3:D7}}}","type":"class"},"role":"teacher","beginDate":"2025-08-01","endDate":"2026-07-01"}""";

    /// <summary>
    /// Records of one shape (a shorter form of the bench's, so that every byte of the page can be altered in turn) and,
    /// among them, records that differ from it in one way each: the shape-predicted walk learns from the first, takes
    /// the next ones, and must give way on every variant.
    /// </summary>
    private const string ShapedPage = """
        {"enrollments":[{"sourcedId":"e1","status":"","user":{"href":"https://h.invalid/users/u1","sourcedId":"u1","type":"user"},"class":{"href":"h/c1","sourcedId":"c1","type":"class"},"role":"teacher","beginDate":"2025-08-01","endDate":"2026-07-01"},
        {"sourcedId":"e2","status":"active","user":{"href":"https://h.invalid/users/u-two","sourcedId":"u-two","type":"user"},"class":{"href":"h/c2","sourcedId":"c2","type":"class"},"role":"student","beginDate":"2025-08-02","endDate":"2026-07-02"},
        {"sourcedId":"e3","status":"","user":{"href":"https://h.invalid/users/u3","sourcedId":"u3","type":"user"},"class":{"href":"h/c3","sourcedId":"c3","type":"class"},"role":"teacher","beginDate":"2025-08-01","endDate":"2026-07-01"},
        {"sourcedId":"e\u00344","status":"","user":{"href":"https://h.invalid/users/u4","sourcedId":"u\"4","type":"user"},"class":{"href":"h/c4","sourcedId":"c4","type":"class"},"role":"teacher","beginDate":"2025-08-01","endDate":"2026-07-01"},
        {"sourcedId":"","status":"","user":{"href":"","sourcedId":"","type":""},"class":{"href":"","sourcedId":"","type":""},"role":"","beginDate":"","endDate":""},
        {"sourcedId":"e6","status":"","user":{"href":"https://h.invalid/users/u6","sourcedId":"u6","type":"user"},"class":{"href":"h/c6","sourcedId":"c6","type":"class"},"role":"teacher","beginDate":"2025-08-01","endDate":"2026-07-01","primary":"false"},
        {"sourcedId":"e7","status":"","user":{"href":"https://h.invalid/users/u7","sourcedId":"u7","type":"user"},"class":{"href":"h/c7","sourcedId":"c7","type":"class"},"role":"teacher","beginDate":"2025-08-01","endDate":"2026-07-01"},
        {"sourcedId":"e8","status":"","user":{"href":"https://h.invalid/users/u8","sourcedId":"u8","type":"user"},"class":{"href":"h/c8","sourcedId":"c8","type":"class"},"role":"teacher","beginDate":"2025-08-01"},
        {"sourcedId":"e9","status":1,"user":{"href":"https://h.invalid/users/u9","sourcedId":"u9","type":"user"},"class":{"href":"h/c9","sourcedId":"c9","type":"class"},"role":"teacher","beginDate":"2025-08-01","endDate":"2026-07-01"},
        {"sourcedId":"e10","status":true,"user":{"href":"https://h.invalid/users/u10","sourcedId":"u10","type":"user"},"class":{"href":"h/c10","sourcedId":"c10","type":"class"},"role":"teacher","beginDate":"2025-08-01","endDate":"2026-07-01"},
        {"sourcedId":"e11","status":"","user":{"href":"https://h.invalid/users/u11","sourcedId":"u11","type":"user"},"class":null,"role":"teacher","beginDate":"2025-08-01","endDate":"2026-07-01"},
        {"sourcedId":"e12","statuz":"","user":{"href":"https://h.invalid/users/u12","sourcedId":"u12","type":"user"},"class":{"href":"h/c12","sourcedId":"c12","type":"class"},"role":"teacher","beginDate":"2025-08-01","endDate":"2026-07-01"},
        {"sourcedId":"e13","status":"","user":{"href":"https://h.invalid/users/u13","sourcedId":"u13","type":"user"},"class":{"href":"h/c13","sourcedId":"c13","type":"class"},"role":"teacher","beginDate":"2025-08-01","endDate":"2026-07-01"},
        {"sourcedId": "e14","status":"","user":{"href":"https://h.invalid/users/u14","sourcedId":"u14","type":"user"},"class":{"href":"h/c14","sourcedId":"c14","type":"class"},"role":"teacher","beginDate":"2025-08-01","endDate":"2026-07-01"},
        {"sourcedId":"e15","status":"","user":{"href":"https://h.invalid/users/u15","sourcedId":"u15","type":"user"},"class":{"href":"h/c15","sourcedId":"c15","type":"class"},"role":"teacher","beginDate":"2025-08-01","endDate":"2026-07-01"},
        {"sourcedId":"e16","status":"","user":{"href":"https://h.invalid/users/u16","sourcedId":"u16","type":"user"},"class":{"href":"h/c16","sourcedId":"c16","type":"class"},"role":"teacher","beginDate":"2025-08-01","endDate":"2026-07-01"}]}
        """;

    private static (int, int, JsonTokenKind)[] Tuples(IEnumerable<JsonToken> tokens) => tokens.Select(t => (t.Start, t.Length, t.Kind)).ToArray();

    /// <summary>
    /// The reference: the general cursor walk Index was written as before it had a fast path (a name test per
    /// field, ScanToken for scalars, ScanRefToken for GUIDRefs, SkipValue for the rest). Null when the body is refused.
    /// </summary>
    private static JsonToken[]? ReferenceTokens(byte[] body)
    {
        var fields = new[] { "sourcedId", "status", "class", "user", "role", "beginDate", "endDate" }.Select(Encoding.UTF8.GetBytes).ToArray();
        var tokens = new List<JsonToken>();
        var r = new Utf8JsonCursor();
        try
        {
            Walk(r, body, record =>
            {
                var noted = new JsonToken[EnrollmentRowReader.Fields];
                record.BeginObject();
                while (record.NextProperty())
                {
                    int field = Array.FindIndex(fields, record.NameIs);
                    if (field < 0)
                    {
                        record.SkipValue();
                    }
                    else
                    {
                        noted[field] = field is 2 or 3 ? record.ScanRefToken() : record.ScanToken();
                    }
                }
                tokens.AddRange(noted);
            });
            return tokens.ToArray();
        }
        catch (JsonSyntaxException)
        {
            return null;
        }
    }

    /// <summary>The tokens Index notes, or null when it refuses the body.</summary>
    private static JsonToken[]? IndexedTokens(byte[] body) => IndexedTokens(body, out _);

    /// <summary>As <see cref="IndexedTokens(byte[])"/>, with how many records the shape-predicted walk took alone.</summary>
    private static JsonToken[]? IndexedTokens(byte[] body, out int shaped)
    {
        var tapes = new TokenTapePool(1);
        var tape = new JsonToken[EnrollmentRowReader.Fields]; // small, so that growing is exercised
        int count = 0;
        var cursor = new Utf8JsonCursor(); // one per page, as the page check has it
        try
        {
            Walk(cursor, body, record => tapes.Note(record, ref tape, count++));
            return tape.Take(count * EnrollmentRowReader.Fields).ToArray();
        }
        catch (JsonSyntaxException)
        {
            return null;
        }
        finally
        {
            shaped = cursor.ShapedRecords;
        }
    }

    /// <summary>Whether the general skip (what the page check does without a tape) accepts the body.</summary>
    private static bool SkipAccepts(byte[] body)
    {
        try
        {
            Walk(new Utf8JsonCursor(), body, record => record.SkipValue());
            return true;
        }
        catch (JsonSyntaxException)
        {
            return false;
        }
    }

    /// <summary>The page check's walk (OneRosterResponseReader.Check): the envelope's object elements go to <paramref name="record"/>.</summary>
    private static void Walk(Utf8JsonCursor r, byte[] body, Action<Utf8JsonCursor> record)
    {
        r.Reset(body, 0, body.Length);
        r.BeginObject();
        while (r.NextProperty())
        {
            if (r.Peek() == '[' && r.NameIs(Envelope))
            {
                r.BeginArray();
                while (r.NextElement())
                {
                    if (r.Peek() == '{')
                    {
                        record(r);
                    }
                    else
                    {
                        r.SkipValue();
                    }
                }
            }
            else
            {
                r.SkipValue();
            }
        }
        if (!r.AtEnd())
        {
            throw new JsonSyntaxException();
        }
    }

    private static string Text(byte[] body, JsonToken token)
    {
        var r = new Utf8JsonCursor();
        r.Reset(body, 0, body.Length);
        return new string(r.Chars, 0, r.DecodeToken(token));
    }

    [Fact]
    public void TheTokensNotedOnAVariedPageAreThoseOfTheGeneralWalk()
    {
        byte[] body = Encoding.UTF8.GetBytes(VariedPage);
        var expected = ReferenceTokens(body);
        Assert.NotNull(expected);
        Assert.Equal(Tuples(expected!), Tuples(IndexedTokens(body)!));

        // And what they mean, so that the reference is not only compared with itself.
        var rows = Enumerable.Range(0, expected!.Length / EnrollmentRowReader.Fields)
            .Select(i => string.Join("|", expected.Skip(i * EnrollmentRowReader.Fields).Take(EnrollmentRowReader.Fields).Select(t => Text(body, t))))
            .ToArray();
        Assert.Equal(new[]
        {
            "e1|active|cls-0000001|stu-000001|student|2025-08-01|2026-07-01",
            "e2|active|c2|u2|teacher||2026-07-01T00:00:00Z",
            "e33|tobedeleted|c3|u\"3\"|Teacher|2025-08-01|x\\y/z\b\f\n\r\t",
            "12345678901234567890123|true|-0.0025|0|false||-1500",
            "e5||||||",
            "last|||b|teacher||",
            "||||||",
            "||||||",
            "e9||||||",
            "e10||||Zoë Ångström|2025-08-01|",
            "e11|active||true|||",
            "e12||c12-last||||",
            "e13|||u13|teacher||",
            "e14|||u14|student||",
        }, rows);
        Assert.Equal(JsonTokenKind.EscapedString, expected[2 * EnrollmentRowReader.Fields].Kind);
        Assert.Equal((JsonTokenKind.True, JsonTokenKind.False, JsonTokenKind.Number), (expected[22].Kind, expected[25].Kind, expected[21].Kind));
        // The page is ASCII up to there, so a character index is a byte index: a string token is its content between the quotes.
        Assert.Equal((VariedPage.IndexOf("\"sourcedId\":\"stu-000001\"", StringComparison.Ordinal) + 13, 10), (expected[3].Start, expected[3].Length));
    }

    /// <summary>
    /// Every prefix of the page, every byte left out, and every byte replaced by one that matters to JSON: Index
    /// refuses exactly what the general walk and the general skip refuse, and notes the same tokens when it accepts.
    /// </summary>
    [Fact]
    public void BrokenAndAlteredPagesAreRefusedOrIndexedExactlyAsByTheGeneralWalk() => IndexedExactlyAsByTheGeneralWalkWhenBrokenOrAltered(VariedPage);

    /// <summary>
    /// The same over a page of records of one shape and near misses of it: here most records of most altered pages
    /// are walked by the shape learned from the record before, so a byte it compared wrongly or a value it ended in
    /// the wrong place would show as a difference from the general walk.
    /// </summary>
    [Fact]
    public void BrokenAndAlteredPagesOfOneShapeAreRefusedOrIndexedExactlyAsByTheGeneralWalk()
    {
        int shaped = IndexedExactlyAsByTheGeneralWalkWhenBrokenOrAltered(ShapedPage);
        // About 17 pages per byte of the page, and the shape walks 6 of its records when it is whole: most altered pages
        // have several records walked by the shape (the figure is about 69 per byte).
        Assert.True(shaped > 40 * ShapedPage.Length, $"the shape walked {shaped} records over all the altered pages");
    }

    /// <summary>
    /// The same over records whose constant runs are short (2 to 8 bytes, compared as two overlapping 2- or 4-byte
    /// halves or one 8-byte word), so that a byte altered in any part of any size of run is seen.
    /// </summary>
    [Fact]
    public void BrokenAndAlteredPagesOfShortRunsAreRefusedOrIndexedExactlyAsByTheGeneralWalk()
    {
        const string Page = """
            {"enrollments":[{"":"v1","a":"1","bc":"2","user":{"sourcedId":"u1"}},{"":"v2","a":"2","bc":"3","user":{"sourcedId":"u2"}},{"":"v3","a":"3","bc":"4","user":{"sourcedId":"u3"}},
            {"ab":"x","role":"r"},{"ab":"y","role":"s"},{"ab":"z","role":"t"},{"ab":"w","role":"u"}]}
            """;
        Assert.True(IndexedExactlyAsByTheGeneralWalkWhenBrokenOrAltered(Page) > 2 * Page.Length);
    }

    /// <summary>Runs the prefix, left-out and replaced-byte comparisons over <paramref name="text"/>; returns the records the shape walked over all of them.</summary>
    private static int IndexedExactlyAsByTheGeneralWalkWhenBrokenOrAltered(string text)
    {
        byte[] page = Encoding.UTF8.GetBytes(text);
        var bodies = new List<byte[]>();
        for (int i = 0; i < page.Length; i++)
        {
            bodies.Add(page.AsSpan(0, i).ToArray());
            var without = new byte[page.Length - 1];
            page.AsSpan(0, i).CopyTo(without);
            page.AsSpan(i + 1).CopyTo(without.AsSpan(i));
            bodies.Add(without);
            foreach (byte b in "{}[],:\"\\ 0-tnx"u8.ToArray())
            {
                if (page[i] != b)
                {
                    var altered = (byte[])page.Clone();
                    altered[i] = b;
                    bodies.Add(altered);
                }
            }
        }
        int accepted = 0, shapedTotal = 0;
        foreach (var body in bodies)
        {
            var expected = ReferenceTokens(body);
            var actual = IndexedTokens(body, out int shaped);
            shapedTotal += shaped;
            if ((expected is null) != (actual is null) || (expected is null) == SkipAccepts(body))
            {
                Assert.Fail($"Index, the general walk and the skip disagree on {Encoding.UTF8.GetString(body)}");
            }
            if (expected is not null)
            {
                accepted++;
                Assert.Equal(Tuples(expected), Tuples(actual!));
            }
        }
        // Both outcomes are well represented (a replaced space or letter often leaves the page valid).
        Assert.InRange(accepted, bodies.Count / 20, bodies.Count - bodies.Count / 4);
        return shapedTotal;
    }

    [Fact]
    public void APageInTheBenchFormIsWalkedByTheShapeAfterItsFirstRecord()
    {
        const int Records = 50;
        byte[] body = Encoding.UTF8.GetBytes("{\"enrollments\":[" + string.Join(",", Enumerable.Range(0, Records).Select(BenchRecord)) + "]}");
        var tokens = IndexedTokens(body, out int shaped)!;
        // The first record teaches the shape; if this fails, the fast path is no longer taken (the tokens may still be right).
        Assert.Equal(Records - 1, shaped);
        Assert.Equal(Tuples(ReferenceTokens(body)!), Tuples(tokens));
        int last = (Records - 1) * EnrollmentRowReader.Fields;
        Assert.Equal("enr-49|cls-0000016|tch-000049|teacher|2026-07-01",
            string.Join("|", new[] { 0, 2, 3, 4, 6 }.Select(f => Text(body, tokens[last + f]))));
        Assert.Equal(JsonTokenKind.String, tokens[last].Kind);
    }

    [Fact]
    public void TheVariantsOfTheShapedPageAreNotedAsByTheGeneralWalk()
    {
        byte[] body = Encoding.UTF8.GetBytes(ShapedPage);
        var tokens = IndexedTokens(body, out int shaped)!;
        Assert.Equal(Tuples(ReferenceTokens(body)!), Tuples(tokens));
        var rows = Enumerable.Range(0, tokens.Length / EnrollmentRowReader.Fields)
            .Select(i => string.Join("|", tokens.Skip(i * EnrollmentRowReader.Fields).Take(EnrollmentRowReader.Fields).Select(t => Text(body, t))))
            .ToArray();
        Assert.Equal("e44||c4|u\"4|teacher|2025-08-01|2026-07-01", rows[3]);
        Assert.Equal("||||||", rows[4]);
        Assert.Equal("e10|true|c10|u10|teacher|2025-08-01|2026-07-01", rows[9]);
        Assert.Equal("e11|||u11|teacher|2025-08-01|2026-07-01", rows[10]);
        Assert.Equal("e12||c12|u12|teacher|2025-08-01|2026-07-01", rows[11]);
        // e2 and e3 after e1 taught the shape; e5 (empty values) and e7 after one miss each; e8 to e10 miss, and e10
        // (a literal noted) teaches nothing in place of the shape; e11 (class null) is learnt from, e12 and e13 miss
        // it, e13 is learnt from; e14 (a space) misses; e15 and e16.
        Assert.Equal(6, shaped);
    }

    /// <summary>
    /// Four records of one shape with other values: the shape learnt from the first walks the next two, and what
    /// the compact walk makes of repeated names, GUIDRefs given a string, plain fields given an object and literals
    /// between the values is what the shape makes of them. A record whose noted value is a literal teaches nothing.
    /// </summary>
    [Theory]
    [InlineData("""{"sourcedId":"first-#","sourcedId":"#","user":{"sourcedId":"a#","sourcedId":"b#"},"class":{"sourcedId":"c#"},"class":{"href":"no-id-#"},"role":"student","role":"teacher#"}""", 2)]
    [InlineData("""{"sourcedId":"e#","user":"u#","class":null,"role":{"sourcedId":"r#"},"primary":false,"status":"active","x":true,"beginDate":""}""", 2)]
    [InlineData("""{"user":{"sourcedId":"u#"},"user":"s#","sourcedId":"e#","class":{"href":"h#","type":"class"},"class":{"sourcedId":"c#","href":"h#"}}""", 2)]
    [InlineData("""{"metadata":{"a":"#","b":null},"endDate":"#","beginDate":"#","status":"#","role":"#","class":{},"user":{"type":"#"}}""", 2)]
    [InlineData("""{"x":"#"}""", 2)]
    [InlineData("""{}""", 3)]
    [InlineData("""{"sourcedId":"e#","status":true}""", 0)]
    [InlineData("""{"sourcedId":"e#","user":{"sourcedId":false}}""", 0)]
    public void EveryRecordAfterTheFirstOfOneShapeIsWalkedByItAsByTheGeneralWalk(string record, int shapedExpected)
    {
        string[] values = { "1", "twenty-two-and-longer-than-sixteen", "", "\\u00e9" };
        byte[] body = Encoding.UTF8.GetBytes("{\"enrollments\":[" + string.Join(",", values.Select(v => record.Replace("#", v))) + "]}");
        var tokens = IndexedTokens(body, out int shaped);
        Assert.Equal(Tuples(ReferenceTokens(body)!), Tuples(tokens!));
        // The last value holds an escape: that record is left to the compact walk (a record without values is not).
        Assert.Equal(shapedExpected, shaped);
    }

    /// <summary>
    /// Which records the shape walks as a page's records change: one odd record does not replace the shape, two
    /// misses running do, and a page whose records differ one from the next stops learning after a few shapes.
    /// </summary>
    [Theory]
    [InlineData("AAAA", 3)]
    [InlineData("AAAABBBB", 5)] // B after two B misses
    [InlineData("AABAA", 3)]    // the odd B is left to the compact walk
    [InlineData("ABABAB", 2)]   // never two misses running: A stays
    [InlineData("ABCDEFGHIJKLMNOPQRSTA", 0)] // learning until its budget is spent; then no shape at all
    [InlineData("AABBCCDDEEFFGGHHIIJJ", 1)]
    public void TheShapeIsLearntAgainWhenTheRecordsChange(string records, int shapedExpected)
    {
        // Each letter is a shape of its own: a field named after it.
        byte[] body = Encoding.UTF8.GetBytes("{\"enrollments\":[" + string.Join(",", records.Select((c, i) => $$$"""{"sourcedId":"e{{{i}}}","{{{c}}}":"v{{{i}}}"}""")) + "]}");
        var tokens = IndexedTokens(body, out int shaped);
        Assert.Equal(Tuples(ReferenceTokens(body)!), Tuples(tokens!));
        Assert.Equal(shapedExpected, shaped);
    }

    /// <summary>
    /// The shape walk keeps the compact walk's depth rule: a record whose GUIDRef would pass the limit is left to the
    /// general walk (which refuses it), though its bytes are the shape's.
    /// </summary>
    [Fact]
    public void TheShapeIsNotTakenNearTheDepthLimit()
    {
        const string Record = """{"sourcedId":"e","user":{"sourcedId":"u"}}""";
        // The outer array, then 62 more: the record's '{' would be level 64 and its GUIDRef 65.
        string body = "[" + Record + "," + Record + "," + new string('[', 62) + Record + new string(']', 62) + "]";
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        var r = new Utf8JsonCursor();
        r.Reset(bytes, 0, bytes.Length);
        var tokens = new JsonToken[EnrollmentRowReader.Fields];
        var names = new JsonFieldNames(
            (RosterJsonNames.SourcedId, false), (RosterJsonNames.Status, false), (RosterJsonNames.Class, true), (RosterJsonNames.User, true),
            (RosterJsonNames.Role, false), (RosterJsonNames.BeginDate, false), (RosterJsonNames.EndDate, false));
        r.BeginArray();
        Assert.True(r.NextElement());
        Assert.True(r.TryScanRecord(names, tokens)); // learnt
        Array.Clear(tokens);
        Assert.True(r.NextElement());
        Assert.True(r.TryScanRecord(names, tokens)); // walked by the shape
        Assert.Equal(1, r.ShapedRecords);
        Assert.Equal("u", Text(bytes, tokens[3]));
        Array.Clear(tokens);
        Assert.True(r.NextElement());
        for (int i = 0; i < 62; i++)
        {
            r.BeginArray();
            Assert.True(r.NextElement());
        }
        int before = r.Position;
        Assert.False(r.TryScanRecord(names, tokens));
        Assert.Equal(before, r.Position);
        Assert.All(tokens, t => Assert.Equal(JsonTokenKind.Blank, t.Kind));
        Assert.Equal(1, r.ShapedRecords);
        Assert.Null(IndexedTokens(Encoding.UTF8.GetBytes("{\"enrollments\":" + body + "}")));
    }

    /// <summary>
    /// The end of a string is found 8 bytes at a time for the first 16 and by a vectorized search after: every length
    /// around those steps, with the bytes next to '"' and '\\' in value, multi-byte UTF-8 and an escape at every place.
    /// </summary>
    [Fact]
    public void StringsOfEveryLengthEndWhereTheyEnd()
    {
        string filler = "a!#[]\u00e9\u00ff\u0001 z";
        for (int length = 0; length <= 40; length++)
        {
            for (int escapeAt = -1; escapeAt < length; escapeAt++)
            {
                var content = new StringBuilder();
                for (int i = 0; i < length; i++)
                {
                    content.Append(i == escapeAt ? "\\\"" : filler[i % filler.Length].ToString());
                }
                string value = content.ToString();
                string page = $$$"""{"enrollments":[{"sourcedId":"{{{value}}}","status":"{{{value}}}","user":{"sourcedId":"{{{value}}}"}}]}""";
                byte[] body = Encoding.UTF8.GetBytes(page);
                var tokens = IndexedTokens(body)!;
                int start = Encoding.UTF8.GetByteCount(page.Substring(0, page.IndexOf("\"sourcedId\":\"", StringComparison.Ordinal) + 13));
                var expected = new JsonToken(start, Encoding.UTF8.GetByteCount(value), escapeAt >= 0 ? JsonTokenKind.EscapedString : JsonTokenKind.String);
                Assert.Equal((expected.Start, expected.Length, expected.Kind), (tokens[0].Start, tokens[0].Length, tokens[0].Kind));
                Assert.Equal(Tuples(ReferenceTokens(body)!), Tuples(tokens));
                Assert.Equal(value.Replace("\\\"", "\""), Text(body, tokens[3]));
            }
        }
    }

    /// <summary>Names near the end of the body (too near for the compact walk to compare 16 bytes at once) are noted all the same.</summary>
    [Theory]
    [InlineData("""{"enrollments":[{"role":"x"}]}""")]
    [InlineData("""{"enrollments":[{"sourcedId":"e","user":{"sourcedId":"u"}}]}""")]
    [InlineData("""{"enrollments":[{"class":{"sourcedId":"c"},"endDate":""}]}""")]
    [InlineData("""{"enrollments":[{"status":true,"role":null,"beginDate":false}]}""")]
    public void ShortPagesAreNotedAsByTheGeneralWalk(string page)
    {
        byte[] body = Encoding.UTF8.GetBytes(page);
        var expected = ReferenceTokens(body)!;
        Assert.Contains(expected, t => t.Kind != JsonTokenKind.Blank);
        Assert.Equal(Tuples(expected), Tuples(IndexedTokens(body)!));
    }

    [Fact]
    public void DepthIsCountedInsideEnrollmentsAsEverywhere()
    {
        string Page(int levels) => """{"enrollments":[{"sourcedId":"e","metadata":""" + new string('[', levels) + new string(']', levels) + "}]}";
        // The top object, the array and the record are three levels: 61 more reach the limit of 64.
        Assert.NotNull(IndexedTokens(Encoding.UTF8.GetBytes(Page(61))));
        Assert.Null(IndexedTokens(Encoding.UTF8.GetBytes(Page(62))));
        Assert.NotNull(ReferenceTokens(Encoding.UTF8.GetBytes(Page(61))));
        Assert.Null(ReferenceTokens(Encoding.UTF8.GetBytes(Page(62))));
        string InRef(int levels) => """{"enrollments":[{"user":{"sourcedId":""" + new string('[', levels) + new string(']', levels) + "}}]}";
        Assert.NotNull(IndexedTokens(Encoding.UTF8.GetBytes(InRef(60))));
        Assert.Null(IndexedTokens(Encoding.UTF8.GetBytes(InRef(61))));
    }

    [Theory]
    [InlineData("""{"enrollments":[{"sourcedId":"e1","user":{"sourcedId":"u1""")] // truncated inside a GUIDRef
    [InlineData("""{"enrollments":[{"sourcedId":"e1","user":{"sourcedId":"u1"},"class":{"sourcedId":"c1"}""")] // truncated after a record
    [InlineData("""{"enrollments":[{"sourcedId":"e1","user":{"sourcedId":"u1" "type":"user"}}]}""")] // missing comma inside a GUIDRef
    [InlineData("""{"enrollments":[{"sourcedId":"e1","user":{"sourcedId":"u1",}}]}""")] // trailing comma inside a GUIDRef
    [InlineData("""{"enrollments":[{"sourcedId":"e1","user":{"sourcedId":"u1"}"role":"student"}]}""")] // missing comma after a GUIDRef
    [InlineData("""{"enrollments":[{"sourcedId":"e1","user":{"sourcedId":"u1"},}]}""")] // trailing comma in a record
    [InlineData("""{"enrollments":[{"sourcedId":"e1","user":{"sourcedId" "u1"}}]}""")] // missing colon inside a GUIDRef
    [InlineData("""{"enrollments":[{"sourcedId":"e1","user":{"sourcedId":"u\x1"}}]}""")] // bad escape inside a GUIDRef
    [InlineData("""{"enrollments":[{"sourcedId":"e1","user":{"href":"h\u12","sourcedId":"u1"}}]}""")] // bad \u inside a GUIDRef's href
    [InlineData("""{"enrollments":[{"sourcedId":"e1","metadata":{"a":[1,2,]}}]}""")] // trailing comma deep in metadata
    [InlineData("""{"enrollments":[{"sourcedId":"e1","metadata":{"a":{"b":nul}}}]}""")] // bad literal deep in metadata
    [InlineData("""{"enrollments":[{"sourcedId":"e1","metadata":{"a":{"b":1.}}}]}""")] // bad number deep in metadata
    [InlineData("""{"enrollments":[{"sourcedId":"e1","metadata":{"a":[}}]}""")] // mismatched closer in metadata
    [InlineData("""{"enrollments":[{"sourcedId":"e1","status":-}]}""")] // bad number as a field
    [InlineData("""{"enrollments":[{"sourcedId":"e1","role":fals}]}""")] // bad literal as a field
    [InlineData("""{"enrollments":[{"sourcedId":"e1","u\ser":{"sourcedId":"u1"}}]}""")] // bad escape in a property name
    [InlineData("""{"enrollments":[{"sourcedId":"e1",user:{"sourcedId":"u1"}}]}""")] // unquoted name
    [InlineData("""{"enrollments":[{"sourcedId":"e1"},{"sourcedId":"e2"}]} x""")] // garbage after the top object
    [InlineData("""{"enrollments":[{"sourcedId":"e1"}{"sourcedId":"e2"}]}""")] // missing comma between records
    [InlineData("""{"enrollments":[{"sourcedId":"e1"],"x":1}""")] // a record closed by ']'
    public async Task BrokenEnrollmentPagesAreFailedPagesWhenIndexed(string body)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        var error = await Assert.ThrowsAsync<RetryableResponseException>(() => OneRosterResponseReader.ReadBodyAsync(
            response, new PageBufferPool(1), Envelope, null, "enrollments", "GET /enrollments (offset 0)", new TokenTapePool(1), CancellationToken.None));
        Assert.Contains("truncated or not JSON", error.Message);
        Assert.DoesNotContain("sourcedId", error.Message);
        Assert.False(SkipAccepts(Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public async Task APageCheckedWithATapeNotesTheRecordsTokens()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(VariedPage, Encoding.UTF8, "application/json") };
        using var page = await OneRosterResponseReader.ReadBodyAsync(
            response, new PageBufferPool(1), Envelope, null, "enrollments", "GET /enrollments (offset 0)", new TokenTapePool(1), CancellationToken.None);
        var expected = ReferenceTokens(Encoding.UTF8.GetBytes(VariedPage))!;
        Assert.Equal(expected.Length / EnrollmentRowReader.Fields, page.Count);
        Assert.Equal(Tuples(expected), Tuples(page.Tape!.Take(expected.Length)));
    }
}
