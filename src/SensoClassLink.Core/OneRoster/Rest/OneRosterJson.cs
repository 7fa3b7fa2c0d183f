using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.Http;

namespace SensoClassLink.Core.OneRoster.Rest;

/// <summary>
/// One OneRoster collection: the envelope its answers come under (by resource type, so <c>/teachers</c>
/// answers <c>users</c>), the singular key of a get-by-id answer, and how a JSON record becomes a roster record.
/// </summary>
public sealed class RosterCollection<T>
{
    internal RosterCollection(string name, string envelope, string single, Func<Utf8JsonCursor, T> map, Func<T, string> id, string fields, string? fieldsV1p2 = null)
    {
        Name = name;
        _fields = fields;
        _fieldsV1p2 = fieldsV1p2 ?? fields;
        Envelope = envelope;
        Single = single;
        Map = map;
        SourcedId = id;
        EnvelopeBytes = Encoding.UTF8.GetBytes(envelope);
        SingleBytes = Encoding.UTF8.GetBytes(single);
    }

    public string Name { get; }
    public string Envelope { get; }
    public string Single { get; }

    /// <summary>Reads one record; the cursor is at the record's '{' and is left after its '}'.</summary>
    internal Func<Utf8JsonCursor, T> Map { get; }
    internal Func<T, string> SourcedId { get; }
    internal byte[] EnvelopeBytes { get; }
    internal byte[] SingleBytes { get; }

    private readonly string _fields;
    private readonly string _fieldsV1p2;

    /// <summary>
    /// The <c>fields</c> selection for <paramref name="version"/>: every top-level field <see cref="Map"/> reads, in the
    /// version's model (1.2 refuses a name outside it with HTTP 400), so a selected record maps exactly as a whole one.
    /// </summary>
    internal string Fields(OneRosterVersion version) => version == OneRosterVersion.V1_2 ? _fieldsV1p2 : _fields;
}

/// <summary>
/// The four collections the roster engine reads, with tolerant mapping for OneRoster 1.1 and 1.2 JSON, read token by
/// token (no tree per record). Booleans and dates follow <see cref="RosterValues"/>.
/// </summary>
public static class RosterCollections
{
    // Each collection's field selection names exactly what its mapper below reads; RosterFieldSelectionTests proves a
    // selected record maps as the whole one, so a field added to a mapper without its name here fails a test.
    public static readonly RosterCollection<RosterOrg> Orgs = new("orgs", "orgs", "org", MapOrg, o => o.SourcedId,
        "sourcedId,status,name,type,parent");

    // 1.1 has role and orgs; ClassLink's 1.1 users are reported to carry a non-standard roles[] as well, which the mapper
    // reads, so 1.1 asks for it too (an unknown selection field is only a warning in 1.1). 1.2 has roles alone.
    public static readonly RosterCollection<RosterUser> Users = new("users", "users", "user", MapUser, u => u.SourcedId,
        "sourcedId,status,enabledUser,username,givenName,familyName,email,identifier,role,orgs,roles",
        "sourcedId,status,enabledUser,username,givenName,familyName,email,identifier,roles");

    public static readonly RosterCollection<RosterClass> Classes = new("classes", "classes", "class", MapClass, c => c.SourcedId,
        "sourcedId,status,title,classCode,school,course,terms,periods");

    public static readonly RosterCollection<RosterEnrollment> Enrollments = new("enrollments", "enrollments", "enrollment", MapEnrollment, e => e.SourcedId,
        "sourcedId,status,class,school,user,role,beginDate,endDate");

    public static readonly RosterCollection<RosterAcademicSession> AcademicSessions =
        new("academicSessions", "academicSessions", "academicSession", MapAcademicSession, s => s.SourcedId,
            "sourcedId,status,title,startDate,endDate");

    /// <summary>The field selection of enrollments read as the engine's pooled rows: the seven <see cref="EnrollmentRowReader"/> notes (no school).</summary>
    internal const string EnrollmentRowFields = "sourcedId,status,class,user,role,beginDate,endDate";

    private static RosterAcademicSession MapAcademicSession(Utf8JsonCursor r)
    {
        string id = "", status = "", title = "", start = "", end = "";
        r.BeginObject();
        while (r.NextProperty())
        {
            if (r.NameIs(RosterJsonNames.SourcedId)) id = r.ReadTextString();
            else if (r.NameIs(RosterJsonNames.Status)) status = r.ReadTextString();
            else if (r.NameIs(RosterJsonNames.Title)) title = r.ReadTextString();
            else if (r.NameIs(RosterJsonNames.StartDate)) start = OneRosterValues.NormalizeDate(r.ReadTextString());
            else if (r.NameIs(RosterJsonNames.EndDate)) end = OneRosterValues.NormalizeDate(r.ReadTextString());
            else r.SkipValue();
        }
        return new RosterAcademicSession { Location = "academicSessions", SourcedId = id, Status = status, Title = title, StartDate = start, EndDate = end };
    }

    private static RosterOrg MapOrg(Utf8JsonCursor r)
    {
        string id = "", status = "", name = "", type = "", parent = "";
        r.BeginObject();
        while (r.NextProperty())
        {
            if (r.NameIs(RosterJsonNames.SourcedId)) id = r.ReadTextString();
            else if (r.NameIs(RosterJsonNames.Status)) status = r.ReadTextString();
            else if (r.NameIs(RosterJsonNames.Name)) name = r.ReadTextString();
            else if (r.NameIs(RosterJsonNames.Type)) type = r.ReadTextString();
            else if (r.NameIs(RosterJsonNames.Parent)) parent = r.ReadRefString();
            else r.SkipValue();
        }
        return new RosterOrg { SourcedId = id, Status = status, Name = name, Type = type, ParentSourcedId = parent.Length > 0 ? parent : null };
    }

    /// <summary>1.1 carries <c>role</c> and <c>orgs[]</c>; 1.2 carries <c>roles[]</c> with an org each. Both are read when present.</summary>
    [MethodImpl(HotPath.Optimize)]
    private static RosterUser MapUser(Utf8JsonCursor r)
    {
        string id = "", status = "", enabled = "", role = "", username = "", given = "", family = "", email = "", identifier = "";
        List<string>? orgRefs = null;
        List<(string Role, string Org)>? roleEntries = null;
        r.BeginObject();
        while (r.NextProperty())
        {
            if (r.NameIs(RosterJsonNames.SourcedId)) id = r.ReadTextString();
            else if (r.NameIs(RosterJsonNames.Status)) status = r.ReadTextString();
            else if (r.NameIs(RosterJsonNames.EnabledUser)) enabled = OneRosterValues.NormalizeBoolean(r.ReadTextString());
            else if (r.NameIs(RosterJsonNames.Role)) role = r.ReadTextString();
            else if (r.NameIs(RosterJsonNames.Orgs)) orgRefs = ReadOrgRefs(r);
            else if (r.NameIs(RosterJsonNames.Roles)) roleEntries = ReadRoleEntries(r);
            else if (r.NameIs(RosterJsonNames.Username)) username = r.ReadTextString();
            else if (r.NameIs(RosterJsonNames.GivenName)) given = r.ReadTextString();
            else if (r.NameIs(RosterJsonNames.FamilyName)) family = r.ReadTextString();
            else if (r.NameIs(RosterJsonNames.Email)) email = r.ReadTextString();
            else if (r.NameIs(RosterJsonNames.Identifier)) identifier = r.ReadTextString();
            else r.SkipValue();
        }
        var roles = new List<string>();
        var orgs = new List<string>();
        AddDistinct(roles, role.Trim().ToLowerInvariant());
        foreach (string org in orgRefs ?? Enumerable.Empty<string>())
        {
            AddDistinct(orgs, org);
        }
        foreach (var (entryRole, entryOrg) in roleEntries ?? Enumerable.Empty<(string, string)>())
        {
            AddDistinct(roles, entryRole.Trim().ToLowerInvariant());
            AddDistinct(orgs, entryOrg);
        }
        return new RosterUser
        {
            SourcedId = id,
            Status = status,
            EnabledUser = enabled,
            Roles = roles,
            OrgSourcedIds = orgs,
            Username = username,
            GivenName = given,
            FamilyName = family,
            Email = email,
            Identifier = identifier,
        };
    }

    internal static void AddDistinct(List<string> list, string value)
    {
        if (value.Length > 0 && !list.Contains(value))
        {
            list.Add(value);
        }
    }

    /// <summary><c>orgs</c>: the GUIDRefs' sourcedIds when it is an array (blank for elements that are not objects), else null.</summary>
    internal static List<string>? ReadOrgRefs(Utf8JsonCursor r)
    {
        if (r.Peek() != '[')
        {
            r.SkipValue();
            return null;
        }
        var refs = new List<string>();
        r.BeginArray();
        while (r.NextElement())
        {
            refs.Add(r.ReadRefString());
        }
        return refs;
    }

    /// <summary>
    /// A list of strings such as <c>periods</c>: an array's string elements (others ignored), or one comma-separated
    /// string as some exports send it; trimmed, blanks and repeats dropped.
    /// </summary>
    private static IReadOnlyList<string> ReadTextList(Utf8JsonCursor r)
    {
        byte kind = r.Peek();
        if (kind == '"')
        {
            var split = new List<string>();
            foreach (string item in r.ReadTextString().Split(','))
            {
                AddDistinct(split, item.Trim());
            }
            return split;
        }
        if (kind != '[')
        {
            r.SkipValue();
            return Array.Empty<string>();
        }
        var items = new List<string>();
        r.BeginArray();
        while (r.NextElement())
        {
            if (r.Peek() == '"')
            {
                AddDistinct(items, r.ReadTextString().Trim());
            }
            else
            {
                r.SkipValue();
            }
        }
        return items;
    }

    /// <summary><c>roles</c> (1.2): each object's role and org, or a bare string role; other elements are ignored.</summary>
    internal static List<(string Role, string Org)>? ReadRoleEntries(Utf8JsonCursor r)
    {
        if (r.Peek() != '[')
        {
            r.SkipValue();
            return null;
        }
        var entries = new List<(string, string)>();
        r.BeginArray();
        while (r.NextElement())
        {
            byte kind = r.Peek();
            if (kind == '{')
            {
                string role = "", org = "";
                r.BeginObject();
                while (r.NextProperty())
                {
                    if (r.NameIs(RosterJsonNames.Role)) role = r.ReadTextString();
                    else if (r.NameIs(RosterJsonNames.Org)) org = r.ReadRefString();
                    else r.SkipValue();
                }
                entries.Add((role, org));
            }
            else if (kind == '"')
            {
                entries.Add((r.ReadTextString(), ""));
            }
            else
            {
                r.SkipValue();
            }
        }
        return entries;
    }

    [MethodImpl(HotPath.Optimize)]
    private static RosterClass MapClass(Utf8JsonCursor r)
    {
        string id = "", status = "", title = "", code = "", school = "", course = "";
        List<string>? terms = null;
        IReadOnlyList<string> periods = Array.Empty<string>();
        r.BeginObject();
        while (r.NextProperty())
        {
            if (r.NameIs(RosterJsonNames.SourcedId)) id = r.ReadTextString();
            else if (r.NameIs(RosterJsonNames.Status)) status = r.ReadTextString();
            else if (r.NameIs(RosterJsonNames.Title)) title = r.ReadTextString();
            else if (r.NameIs(RosterJsonNames.ClassCode)) code = r.ReadTextString();
            else if (r.NameIs(RosterJsonNames.School)) school = r.ReadRefString();
            else if (r.NameIs(RosterJsonNames.Course)) course = r.ReadRefString();
            else if (r.NameIs(RosterJsonNames.Terms)) terms = ReadOrgRefs(r);
            else if (r.NameIs(RosterJsonNames.Periods)) periods = ReadTextList(r);
            else r.SkipValue();
        }
        var termIds = new List<string>();
        foreach (string term in terms ?? Enumerable.Empty<string>())
        {
            AddDistinct(termIds, term.Trim());
        }
        // The collection names where a class's problems are (its terms), as a CSV file does; REST has no lines.
        return new RosterClass
        {
            Location = "classes", SourcedId = id, Status = status, Title = title, ClassCode = code, SchoolSourcedId = school, CourseSourcedId = course, TermSourcedIds = termIds,
            Periods = periods,
        };
    }

    [MethodImpl(HotPath.Optimize)]
    private static RosterEnrollment MapEnrollment(Utf8JsonCursor r)
    {
        string id = "", status = "", cls = "", school = "", user = "", role = "", begin = "", end = "";
        r.BeginObject();
        while (r.NextProperty())
        {
            if (r.NameIs(RosterJsonNames.SourcedId)) id = r.ReadTextString();
            else if (r.NameIs(RosterJsonNames.Status)) status = r.ReadTextString();
            else if (r.NameIs(RosterJsonNames.Class)) cls = r.ReadRefString();
            else if (r.NameIs(RosterJsonNames.School)) school = r.ReadRefString();
            else if (r.NameIs(RosterJsonNames.User)) user = r.ReadRefString();
            else if (r.NameIs(RosterJsonNames.Role)) role = r.ReadTextString();
            else if (r.NameIs(RosterJsonNames.BeginDate)) begin = OneRosterValues.NormalizeDate(r.ReadTextString());
            else if (r.NameIs(RosterJsonNames.EndDate)) end = OneRosterValues.NormalizeDate(r.ReadTextString());
            else r.SkipValue();
        }
        return new RosterEnrollment
        {
            SourcedId = id,
            Status = status,
            ClassSourcedId = cls,
            SchoolSourcedId = school,
            UserSourcedId = user,
            Role = role.Trim().ToLowerInvariant(),
            BeginDate = begin,
            EndDate = end,
        };
    }
}

/// <summary>
/// The UTF-8 body of one collection page that passed every check (well-formed to its end, an object, the envelope
/// array present, no failure statusInfoSet), held in a pooled buffer until its records have been read.
/// </summary>
internal sealed class RosterJsonBody : IDisposable
{
    private readonly Action<byte[]> _release;
    private readonly TokenTapePool? _tapes;
    private byte[]? _bytes;

    public RosterJsonBody(byte[] bytes, int length, int arrayStart, int count, Action<byte[]> release, JsonToken[]? tape = null, TokenTapePool? tapes = null)
    {
        _bytes = bytes;
        _release = release;
        Tape = tape;
        _tapes = tapes;
        Length = length;
        ArrayStart = arrayStart;
        Count = count;
    }

    public int Length { get; }

    /// <summary>Where the envelope array's '[' is.</summary>
    public int ArrayStart { get; }

    /// <summary>How many records (object elements) the envelope array holds.</summary>
    public int Count { get; }

    public byte[] Bytes => _bytes ?? throw new ObjectDisposedException(nameof(RosterJsonBody));

    /// <summary>When the page was checked for the engine's rows: each record's tokens (<see cref="EnrollmentRowReader"/>, <see cref="UserRowReader"/>).</summary>
    public JsonToken[]? Tape { get; private set; }

    /// <summary>Positions <paramref name="cursor"/> inside the envelope array; call <see cref="NextRecord"/> next.</summary>
    public void Open(Utf8JsonCursor cursor)
    {
        cursor.Reset(Bytes, ArrayStart, Length);
        cursor.BeginArray();
    }

    /// <summary>True with the cursor at the next record's '{'; elements that are not objects are skipped.</summary>
    public static bool NextRecord(Utf8JsonCursor cursor)
    {
        while (cursor.NextElement())
        {
            if (cursor.Peek() == '{')
            {
                return true;
            }
            cursor.SkipValue();
        }
        return false;
    }

    public void Dispose()
    {
        if (_bytes is { } bytes)
        {
            _bytes = null;
            _release(bytes);
            if (Tape is { } tape)
            {
                Tape = null;
                _tapes?.Return(tape);
            }
        }
    }
}

/// <summary>Reads one OneRoster response body: the envelope, a failure <c>statusInfoSet</c>, or a body that is not usable.</summary>
internal static class OneRosterResponseReader
{
    private static readonly byte[][] StatusNames = { Encoding.UTF8.GetBytes("statusInfoSet"), Encoding.UTF8.GetBytes("imsx_statusInfo"), Encoding.UTF8.GetBytes("imsx_StatusInfo") };

    /// <summary>
    /// Checks a collection page from end to end without building records: a body that is not a usable page throws
    /// <see cref="RetryableResponseException"/>, a failure statusInfoSet (whatever the HTTP status) throws
    /// <see cref="RosterReadException"/>. The records are read later, token by token, from the returned body.
    /// </summary>
    public static RosterJsonBody ReadBody(HttpResponseMessage response, byte[] envelope, byte[]? fallbackEnvelope, string envelopeName, string endpoint)
    {
        RejectMarkup(response, endpoint);
        byte[] bytes = ReadBytes(response, out int length);
        return Check(response, bytes, length, ReturnToArrayPool, envelope, fallbackEnvelope, envelopeName, endpoint);
    }

    /// <summary>As <see cref="ReadBody"/>, reading the body from its stream into a buffer of <paramref name="buffers"/> (no second copy).</summary>
    /// <remarks>With <paramref name="rowTapes"/>, each record's tokens for the engine's rows are noted as it is checked (<see cref="TokenTapePool.Note"/>).</remarks>
    public static async Task<RosterJsonBody> ReadBodyAsync(HttpResponseMessage response, PageBufferPool buffers, byte[] envelope, byte[]? fallbackEnvelope,
        string envelopeName, string endpoint, TokenTapePool? rowTapes, CancellationToken cancellationToken)
    {
        RejectMarkup(response, endpoint);
        var (bytes, length) = await buffers.ReadAsync(response.Content, cancellationToken).ConfigureAwait(false);
        return Check(response, bytes, length, buffers.Return, envelope, fallbackEnvelope, envelopeName, endpoint, rowTapes);
    }

    private static readonly Action<byte[]> ReturnToArrayPool = bytes => ArrayPool<byte>.Shared.Return(bytes);

    [MethodImpl(HotPath.Optimize)]
    private static RosterJsonBody Check(HttpResponseMessage response, byte[] bytes, int length, Action<byte[]> release,
        byte[] envelope, byte[]? fallbackEnvelope, string envelopeName, string endpoint, TokenTapePool? tapes = null)
    {
        JsonToken[]? tape = tapes?.Rent();
        try
        {
            var cursor = new Utf8JsonCursor();
            int arrayStart = -1, count = 0;
            string? statusName = null;
            (int Start, int End) statusRange = default;
            try
            {
                cursor.Reset(bytes, 0, length);
                cursor.SkipByteOrderMark();
                RequireObject(cursor, () => new RetryableResponseException($"{endpoint} answered HTTP {(int)response.StatusCode} with JSON that is not an object."));
                cursor.BeginObject();
                while (cursor.NextProperty())
                {
                    if (arrayStart < 0 && cursor.Peek() == '[' && (cursor.NameIs(envelope) || (fallbackEnvelope is not null && cursor.NameIs(fallbackEnvelope))))
                    {
                        arrayStart = cursor.Position;
                        cursor.BeginArray();
                        while (cursor.NextElement())
                        {
                            if (cursor.Peek() != '{')
                            {
                                cursor.SkipValue();
                            }
                            else if (tape is not null)
                            {
                                tapes!.Note(cursor, ref tape, count++);
                            }
                            else
                            {
                                count++;
                                cursor.SkipValue();
                            }
                        }
                    }
                    else if (IsStatusName(cursor))
                    {
                        statusName = cursor.Name();
                        statusRange = cursor.SkipValueRange();
                    }
                    else
                    {
                        cursor.SkipValue();
                    }
                }
                if (!cursor.AtEnd())
                {
                    throw new JsonSyntaxException();
                }
            }
            catch (JsonSyntaxException)
            {
                // Never quote the body or where it broke: both may hold roster data.
                throw new RetryableResponseException($"{endpoint} answered HTTP {(int)response.StatusCode} with a body that is truncated or not JSON ({length} bytes).");
            }
            if (statusName is not null && MayReportFailure(bytes, statusRange))
            {
                ThrowOnFailureStatus(new JObject(new JProperty(statusName, ParseToken(bytes, statusRange))), endpoint, (int)response.StatusCode);
            }
            if (arrayStart < 0)
            {
                throw new RetryableResponseException($"{endpoint} answered HTTP {(int)response.StatusCode} without the '{envelopeName}' array the OneRoster binding requires.");
            }
            return new RosterJsonBody(bytes, length, arrayStart, count, release, tape, tapes);
        }
        catch
        {
            release(bytes);
            if (tape is not null)
            {
                tapes!.Return(tape);
            }
            throw;
        }
    }

    /// <summary>Every record of a checked page, each read straight from the body.</summary>
    public static IEnumerable<T> Records<T>(RosterJsonBody body, RosterCollection<T> collection, Utf8JsonCursor cursor)
    {
        body.Open(cursor);
        while (RosterJsonBody.NextRecord(cursor))
        {
            yield return collection.Map(cursor);
        }
    }

    /// <summary>
    /// Whether the page's first record holds no field but <paramref name="name"/>, or null when the page has no record:
    /// how a connection check that asked for that field alone tells a server that honours field selection from one that ignores it.
    /// </summary>
    internal static bool? FirstRecordHoldsOnly(RosterJsonBody body, byte[] name)
    {
        var cursor = new Utf8JsonCursor();
        body.Open(cursor);
        if (!RosterJsonBody.NextRecord(cursor))
        {
            return null;
        }
        cursor.BeginObject();
        while (cursor.NextProperty())
        {
            if (!cursor.NameIs(name))
            {
                return false;
            }
            cursor.SkipValue();
        }
        return true;
    }

    /// <summary>A whole page as records (tests and small reads; the source streams pages with <see cref="Records"/>).</summary>
    public static List<T> ReadPage<T>(HttpResponseMessage response, RosterCollection<T> collection, string endpoint, string? fallbackEnvelope)
    {
        using var body = ReadBody(response, collection.EnvelopeBytes, fallbackEnvelope is null ? null : Encoding.UTF8.GetBytes(fallbackEnvelope), collection.Envelope, endpoint);
        return Records(body, collection, new Utf8JsonCursor()).ToList();
    }

    private static void RequireObject(Utf8JsonCursor cursor, Func<Exception> notAnObject)
    {
        byte first = cursor.Peek();
        if (first == '{')
        {
            return;
        }
        // An empty body or another JSON value is "not an object"; anything else is not JSON at all.
        if (first == 0 || first == '[' || first == '"' || first == '-' || (first >= '0' && first <= '9') || first == 't' || first == 'f' || first == 'n')
        {
            throw notAnObject();
        }
        throw new JsonSyntaxException();
    }

    private static bool IsStatusName(Utf8JsonCursor cursor)
    {
        foreach (byte[] name in StatusNames)
        {
            if (cursor.NameIs(name))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// False when a statusInfoSet's bytes cannot hold a codeMajor of "failure": the word is nowhere in them (in any
    /// case) and no escape could spell it. Servers put success and warning sets on ordinary pages (a 1.1 server warns
    /// of each unknown selection field on every page); those are not parsed into a document just to find no failure.
    /// </summary>
    private static bool MayReportFailure(byte[] bytes, (int Start, int End) range)
    {
        var set = new ReadOnlySpan<byte>(bytes, range.Start, range.End - range.Start);
        if (set.IndexOf((byte)'\\') >= 0)
        {
            return true;
        }
        ReadOnlySpan<byte> word = "failure"u8;
        for (int at = 0; at + word.Length <= set.Length; at++)
        {
            int i = 0;
            while (i < word.Length && (set[at + i] | 0x20) == word[i])
            {
                i++;
            }
            if (i == word.Length)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A small part of the body (a statusInfoSet) as a token, strings kept as they are.</summary>
    private static JToken ParseToken(byte[] bytes, (int Start, int End) range)
    {
        using var reader = new JsonTextReader(new StringReader(Encoding.UTF8.GetString(bytes, range.Start, range.End - range.Start))) { DateParseHandling = DateParseHandling.None };
        return JToken.ReadFrom(reader);
    }

    /// <summary>The buffered body in a pooled array (returned by <see cref="RosterJsonBody.Dispose"/>).</summary>
    private static byte[] ReadBytes(HttpResponseMessage response, out int length)
    {
        using var stream = response.Content.ReadAsStreamAsync().GetAwaiter().GetResult();
        int capacity = stream.CanSeek ? (int)Math.Max(16, stream.Length - stream.Position) : 1 << 16;
        byte[] bytes = ArrayPool<byte>.Shared.Rent(capacity);
        length = 0;
        try
        {
            while (true)
            {
                if (length == bytes.Length)
                {
                    byte[] larger = ArrayPool<byte>.Shared.Rent(bytes.Length * 2);
                    Buffer.BlockCopy(bytes, 0, larger, 0, length);
                    ArrayPool<byte>.Shared.Return(bytes);
                    bytes = larger;
                }
                int read = stream.Read(bytes, length, bytes.Length - length);
                if (read == 0)
                {
                    return bytes;
                }
                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(bytes);
            throw;
        }
    }

    private static void RejectMarkup(HttpResponseMessage response, string endpoint)
    {
        string? mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is not null && mediaType.IndexOf("html", StringComparison.OrdinalIgnoreCase) >= 0)
        {
            throw new RetryableResponseException($"{endpoint} answered HTTP {(int)response.StatusCode} with an HTML page instead of OneRoster JSON (a proxy or login page?).");
        }
    }

    /// <summary>A get-by-id answer: its singular object (the last one when repeated), read token by token.</summary>
    public static T ReadSingle<T>(HttpResponseMessage response, RosterCollection<T> collection, string endpoint)
    {
        RejectMarkup(response, endpoint);
        byte[] bytes = ReadBytes(response, out int length);
        try
        {
            var cursor = new Utf8JsonCursor();
            cursor.Reset(bytes, 0, length);
            cursor.SkipByteOrderMark();
            if (cursor.Peek() == '<')
            {
                throw new RetryableResponseException($"{endpoint} answered HTTP {(int)response.StatusCode} with markup instead of OneRoster JSON.");
            }
            int recordStart = -1;
            var status = new JObject();
            try
            {
                RequireObject(cursor, () => new RetryableResponseException($"{endpoint} answered with JSON that is not an object."));
                cursor.BeginObject();
                while (cursor.NextProperty())
                {
                    if (cursor.NameIs(collection.SingleBytes))
                    {
                        recordStart = cursor.Peek() == '{' ? cursor.Position : -1;
                        cursor.SkipValue();
                    }
                    else if (IsStatusName(cursor))
                    {
                        string name = cursor.Name();
                        status[name] = ParseToken(bytes, cursor.SkipValueRange());
                    }
                    else
                    {
                        cursor.SkipValue();
                    }
                }
                if (!cursor.AtEnd())
                {
                    throw new JsonSyntaxException();
                }
            }
            catch (JsonSyntaxException)
            {
                throw new RetryableResponseException($"{endpoint} answered HTTP {(int)response.StatusCode} with a body that is truncated or not JSON ({Encoding.UTF8.GetCharCount(bytes, 0, length)} characters).");
            }
            ThrowOnFailureStatus(status, endpoint, (int)response.StatusCode);
            if (recordStart < 0)
            {
                throw new RetryableResponseException($"{endpoint} answered HTTP {(int)response.StatusCode} without the '{collection.Single}' object the OneRoster binding requires.");
            }
            cursor.Reset(bytes, recordStart, length);
            return collection.Map(cursor);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>
    /// True for an HTTP 400 whose statusInfoSet carries the codeMinor invalid_selection_field (1.2 spells it so; 1.1
    /// servers write "invalid selection field" too): the server refused the <c>fields</c> parameter. A 1.1 server
    /// that only warns answers 200 with the records, which are read as they are.
    /// </summary>
    internal static bool RefusesFieldSelection(HttpResponseMessage response)
    {
        if ((int)response.StatusCode != 400)
        {
            return false;
        }
        try
        {
            string body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            if (body.Length == 0 || body.TrimStart().StartsWith("<", StringComparison.Ordinal))
            {
                return false;
            }
            JToken root = JToken.Parse(body);
            JToken? set = root is JObject o ? (o["statusInfoSet"] ?? o["imsx_statusInfo"] ?? o["imsx_StatusInfo"]) : null;
            return set is not null && set.SelectTokens("..*").OfType<JValue>().Any(v => v.Type == JTokenType.String && IsInvalidSelectionField((string?)v.Value));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsInvalidSelectionField(string? code) =>
        code is not null && string.Equals(code.Replace(' ', '_').Trim(), "invalid_selection_field", StringComparison.OrdinalIgnoreCase);

    /// <summary>The server's imsx_description from an error body, shortened and on one line, or null.</summary>
    public static string? Description(HttpResponseMessage response)
    {
        try
        {
            string body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            if (body.Length == 0 || body.TrimStart().StartsWith("<", StringComparison.Ordinal))
            {
                return null;
            }
            return Description(JToken.Parse(body));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void ThrowOnFailureStatus(JObject root, string endpoint, int status)
    {
        JToken? set = root["statusInfoSet"] ?? root["imsx_statusInfo"] ?? root["imsx_StatusInfo"];
        foreach (var info in set is JArray a ? a.ToArray() : set is JObject o ? new JToken[] { o } : Array.Empty<JToken>())
        {
            if (info is JObject item && string.Equals((string?)item["imsx_codeMajor"], "failure", StringComparison.OrdinalIgnoreCase))
            {
                string description = Description(root) ?? "no description";
                throw new RosterReadException($"{endpoint} reported a failure (HTTP {status}, imsx_codeMajor 'failure'): {description}");
            }
        }
    }

    private static string? Description(JToken root)
    {
        JToken? set = root is JObject o ? (o["statusInfoSet"] ?? o["imsx_statusInfo"] ?? o["imsx_StatusInfo"]) : null;
        JToken? first = set is JArray a ? a.FirstOrDefault() : set;
        string? text = first is JObject info ? (string?)info["imsx_description"] : null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        text = text!.Replace('\r', ' ').Replace('\n', ' ').Trim();
        return text.Length > 200 ? text.Substring(0, 200) + "..." : text;
    }
}
