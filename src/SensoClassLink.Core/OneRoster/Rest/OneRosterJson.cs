using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using SensoClassLink.Core.Http;

namespace SensoClassLink.Core.OneRoster.Rest;

/// <summary>
/// One OneRoster collection: the envelope its answers come under (by resource type, so <c>/teachers</c>
/// answers <c>users</c>), the singular key of a get-by-id answer, and how a JSON record becomes a roster record.
/// </summary>
public sealed class RosterCollection<T>
{
    internal RosterCollection(string name, string envelope, string single, Func<JObject, T> map, Func<T, string> id)
    {
        Name = name;
        Envelope = envelope;
        Single = single;
        Map = map;
        SourcedId = id;
    }

    public string Name { get; }
    public string Envelope { get; }
    public string Single { get; }
    internal Func<JObject, T> Map { get; }
    internal Func<T, string> SourcedId { get; }
}

/// <summary>The four collections the roster engine reads, with tolerant mapping for OneRoster 1.1 and 1.2 JSON.</summary>
public static class RosterCollections
{
    public static readonly RosterCollection<RosterOrg> Orgs = new("orgs", "orgs", "org", MapOrg, o => o.SourcedId);
    public static readonly RosterCollection<RosterUser> Users = new("users", "users", "user", MapUser, u => u.SourcedId);
    public static readonly RosterCollection<RosterClass> Classes = new("classes", "classes", "class", MapClass, c => c.SourcedId);
    public static readonly RosterCollection<RosterEnrollment> Enrollments = new("enrollments", "enrollments", "enrollment", MapEnrollment, e => e.SourcedId);

    private static RosterOrg MapOrg(JObject o) => new()
    {
        SourcedId = Text(o, "sourcedId"),
        Status = Text(o, "status"),
        Name = Text(o, "name"),
        Type = Text(o, "type"),
        ParentSourcedId = Ref(o["parent"]) is { Length: > 0 } parent ? parent : null,
    };

    /// <summary>1.1 carries <c>role</c> and <c>orgs[]</c>; 1.2 carries <c>roles[]</c> with an org each. Both are read when present.</summary>
    private static RosterUser MapUser(JObject o)
    {
        var roles = new List<string>();
        var orgs = new List<string>();
        void AddDistinct(List<string> list, string value)
        {
            if (value.Length > 0 && !list.Contains(value))
            {
                list.Add(value);
            }
        }
        AddDistinct(roles, Text(o, "role").Trim().ToLowerInvariant());
        if (o["orgs"] is JArray orgArray)
        {
            foreach (var org in orgArray)
            {
                AddDistinct(orgs, Ref(org));
            }
        }
        if (o["roles"] is JArray roleArray)
        {
            foreach (var entry in roleArray)
            {
                if (entry is JObject role)
                {
                    AddDistinct(roles, Text(role, "role").Trim().ToLowerInvariant());
                    AddDistinct(orgs, Ref(role["org"]));
                }
                else if (entry.Type == JTokenType.String)
                {
                    AddDistinct(roles, ((string?)entry ?? "").Trim().ToLowerInvariant());
                }
            }
        }
        return new RosterUser
        {
            SourcedId = Text(o, "sourcedId"),
            Status = Text(o, "status"),
            EnabledUser = Text(o, "enabledUser"),
            Roles = roles,
            OrgSourcedIds = orgs,
            Username = Text(o, "username"),
            GivenName = Text(o, "givenName"),
            FamilyName = Text(o, "familyName"),
            Email = Text(o, "email"),
            Identifier = Text(o, "identifier"),
        };
    }

    private static RosterClass MapClass(JObject o) => new()
    {
        SourcedId = Text(o, "sourcedId"),
        Status = Text(o, "status"),
        Title = Text(o, "title"),
        ClassCode = Text(o, "classCode"),
        SchoolSourcedId = Ref(o["school"]),
        CourseSourcedId = Ref(o["course"]),
    };

    private static RosterEnrollment MapEnrollment(JObject o) => new()
    {
        SourcedId = Text(o, "sourcedId"),
        Status = Text(o, "status"),
        ClassSourcedId = Ref(o["class"]),
        SchoolSourcedId = Ref(o["school"]),
        UserSourcedId = Ref(o["user"]),
        Role = Text(o, "role").Trim().ToLowerInvariant(),
        BeginDate = Text(o, "beginDate"),
        EndDate = Text(o, "endDate"),
    };

    /// <summary>A scalar as text: strings as they are, JSON booleans as "true"/"false", null or missing as blank.</summary>
    internal static string Text(JObject o, string name) => o[name] switch
    {
        null => "",
        { Type: JTokenType.Null } => "",
        { Type: JTokenType.Boolean } b => (bool)b ? "true" : "false",
        { Type: JTokenType.String } s => (string?)s ?? "",
        JValue v => Convert.ToString(v.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
        _ => "",
    };

    /// <summary>The sourcedId of a GUIDRef; the href is never read.</summary>
    internal static string Ref(JToken? token) => token is JObject o ? Text(o, "sourcedId") : "";
}

/// <summary>Reads one OneRoster response body: the envelope, a failure <c>statusInfoSet</c>, or a body that is not usable.</summary>
internal static class OneRosterResponseReader
{
    /// <summary>
    /// Parses a collection page record by record from the buffered body (no whole-document tree).
    /// Throws <see cref="RetryableResponseException"/> for a body that is not a usable page and
    /// <see cref="RosterReadException"/> for a failure statusInfoSet.
    /// </summary>
    public static List<T> ReadPage<T>(HttpResponseMessage response, RosterCollection<T> collection, string endpoint, string? fallbackEnvelope)
    {
        RejectMarkup(response, endpoint);
        var list = new List<T>();
        bool found = false;
        JToken? status = null;
        int length = 0;
        try
        {
            using var stream = response.Content.ReadAsStreamAsync().GetAwaiter().GetResult();
            length = stream.CanSeek ? (int)stream.Length : 0;
            using var text = new StreamReader(stream, System.Text.Encoding.UTF8);
            using var reader = new JsonTextReader(text) { DateParseHandling = DateParseHandling.None, CloseInput = false };
            if (!reader.Read() || reader.TokenType != JsonToken.StartObject)
            {
                throw new RetryableResponseException($"{endpoint} answered HTTP {(int)response.StatusCode} with JSON that is not an object.");
            }
            while (reader.Read() && reader.TokenType == JsonToken.PropertyName)
            {
                string name = (string)reader.Value!;
                reader.Read();
                if (!found && (name == collection.Envelope || name == fallbackEnvelope) && reader.TokenType == JsonToken.StartArray)
                {
                    found = true;
                    while (reader.Read() && reader.TokenType != JsonToken.EndArray)
                    {
                        if (reader.TokenType == JsonToken.StartObject)
                        {
                            list.Add(collection.Map(JObject.Load(reader)));
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                    if (reader.TokenType != JsonToken.EndArray)
                    {
                        throw new JsonReaderException("unexpected end");
                    }
                }
                else if (name is "statusInfoSet" or "imsx_statusInfo" or "imsx_StatusInfo")
                {
                    status = new JObject(new JProperty(name, JToken.Load(reader)));
                }
                else
                {
                    reader.Skip();
                }
            }
            if (reader.TokenType != JsonToken.EndObject)
            {
                throw new JsonReaderException("unexpected end");
            }
            if (reader.Read())
            {
                throw new RetryableResponseException($"{endpoint} answered with trailing data after the JSON document.");
            }
        }
        catch (JsonException)
        {
            // Never quote the body or the parser's message: both may hold roster data.
            throw new RetryableResponseException($"{endpoint} answered HTTP {(int)response.StatusCode} with a body that is truncated or not JSON ({length} bytes).");
        }
        if (status is JObject statusRoot)
        {
            ThrowOnFailureStatus(statusRoot, endpoint, (int)response.StatusCode);
        }
        if (!found)
        {
            throw new RetryableResponseException($"{endpoint} answered HTTP {(int)response.StatusCode} without the '{collection.Envelope}' array the OneRoster binding requires.");
        }
        return list;
    }

    private static void RejectMarkup(HttpResponseMessage response, string endpoint)
    {
        string? mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is not null && mediaType.IndexOf("html", StringComparison.OrdinalIgnoreCase) >= 0)
        {
            throw new RetryableResponseException($"{endpoint} answered HTTP {(int)response.StatusCode} with an HTML page instead of OneRoster JSON (a proxy or login page?).");
        }
    }

    public static T ReadSingle<T>(HttpResponseMessage response, RosterCollection<T> collection, string endpoint)
    {
        JObject root = ReadRoot(response, endpoint);
        ThrowOnFailureStatus(root, endpoint, (int)response.StatusCode);
        if (root[collection.Single] is not JObject record)
        {
            throw new RetryableResponseException($"{endpoint} answered HTTP {(int)response.StatusCode} without the '{collection.Single}' object the OneRoster binding requires.");
        }
        return collection.Map(record);
    }

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

    private static JObject ReadRoot(HttpResponseMessage response, string endpoint)
    {
        string? mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is not null && mediaType.IndexOf("html", StringComparison.OrdinalIgnoreCase) >= 0)
        {
            throw new RetryableResponseException($"{endpoint} answered HTTP {(int)response.StatusCode} with an HTML page instead of OneRoster JSON (a proxy or login page?).");
        }
        string body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        if (body.TrimStart().StartsWith("<", StringComparison.Ordinal))
        {
            throw new RetryableResponseException($"{endpoint} answered HTTP {(int)response.StatusCode} with markup instead of OneRoster JSON.");
        }
        try
        {
            using var reader = new JsonTextReader(new StringReader(body)) { DateParseHandling = DateParseHandling.None };
            JToken token = JToken.ReadFrom(reader);
            // A complete document ends here; anything but the end means a broken body.
            if (reader.Read())
            {
                throw new RetryableResponseException($"{endpoint} answered with trailing data after the JSON document.");
            }
            return token as JObject
                ?? throw new RetryableResponseException($"{endpoint} answered with JSON that is not an object.");
        }
        catch (JsonException)
        {
            // Never quote the body: it is roster data. Position is enough to diagnose truncation.
            throw new RetryableResponseException($"{endpoint} answered HTTP {(int)response.StatusCode} with a body that is truncated or not JSON ({body.Length} characters)."); // the parser message may quote the body
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
