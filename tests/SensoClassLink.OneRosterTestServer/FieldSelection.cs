using System.Buffers;
using System.Text.Json;

namespace SensoClassLink.OneRosterTestServer;

/// <summary>
/// OneRoster field selection (<c>?fields=a,b</c>) as the binding describes it: each record keeps only the named
/// top-level fields, in their usual order (a GUIDRef or array stays whole). A name outside the version's model is
/// refused with HTTP 400 invalid_selection_field in 1.2, and is only a warning in 1.1 (the known names still select).
/// </summary>
internal sealed class FieldSelection
{
    private static readonly string[] Base = { "sourcedId", "status", "dateLastModified", "metadata" };

    /// <summary>Each collection's model by envelope; users differ between 1.1 (role, orgs) and 1.2 (roles, primaryOrg, ...).</summary>
    private static readonly Dictionary<(string Envelope, bool V2), HashSet<string>> Models = new()
    {
        [("orgs", false)] = Model("name", "type", "identifier", "parent", "children"),
        [("orgs", true)] = Model("name", "type", "identifier", "parent", "children"),
        [("users", false)] = Model("username", "userIds", "enabledUser", "givenName", "familyName", "middleName", "role", "identifier", "email", "sms", "phone",
            "agents", "orgs", "grades", "password"),
        [("users", true)] = Model("userMasterIdentifier", "username", "userIds", "enabledUser", "givenName", "familyName", "middleName", "preferredFirstName",
            "preferredMiddleName", "preferredLastName", "pronouns", "roles", "userProfiles", "identifier", "email", "sms", "phone", "agents", "grades", "password",
            "resources", "primaryOrg"),
        [("classes", false)] = Model("title", "classCode", "classType", "location", "grades", "subjects", "course", "school", "terms", "subjectCodes", "periods", "resources"),
        [("classes", true)] = Model("title", "classCode", "classType", "location", "grades", "subjects", "course", "school", "terms", "subjectCodes", "periods", "resources"),
        [("enrollments", false)] = Model("user", "class", "school", "role", "primary", "beginDate", "endDate"),
        [("enrollments", true)] = Model("user", "class", "school", "role", "primary", "beginDate", "endDate"),
        [("academicSessions", false)] = Model("title", "startDate", "endDate", "type", "parent", "children", "schoolYear"),
        [("academicSessions", true)] = Model("title", "startDate", "endDate", "type", "parent", "children", "schoolYear"),
    };

    private readonly HashSet<string> _selected;

    private FieldSelection(HashSet<string> selected, IReadOnlyList<string> unknown)
    {
        _selected = selected;
        Unknown = unknown;
    }

    /// <summary>Requested names the version's model does not have.</summary>
    public IReadOnlyList<string> Unknown { get; }

    /// <summary>The selection a <c>fields</c> value asks for on <paramref name="envelope"/>; null when there is none.</summary>
    public static FieldSelection? Parse(string? fields, string envelope, bool v2)
    {
        if (fields is null)
        {
            return null;
        }
        var model = Models[(envelope, v2)];
        var selected = new HashSet<string>(StringComparer.Ordinal);
        var unknown = new List<string>();
        foreach (string name in fields.Split(',').Select(n => n.Trim()).Where(n => n.Length > 0))
        {
            (model.Contains(name) ? (ICollection<string>)selected : unknown).Add(name);
        }
        return new FieldSelection(selected, unknown);
    }

    /// <summary>A record writer that writes what <paramref name="write"/> writes, keeping only the selected top-level fields.</summary>
    public Action<Utf8JsonWriter, T, bool> Apply<T>(Action<Utf8JsonWriter, T, bool> write) => (w, item, v2) =>
    {
        var whole = new ArrayBufferWriter<byte>();
        using (var inner = new Utf8JsonWriter(whole))
        {
            write(inner, item, v2);
        }
        using var record = JsonDocument.Parse(whole.WrittenMemory);
        w.WriteStartObject();
        foreach (var property in record.RootElement.EnumerateObject())
        {
            if (_selected.Contains(property.Name))
            {
                property.WriteTo(w);
            }
        }
        w.WriteEndObject();
    };

    private static HashSet<string> Model(params string[] names) => new(Base.Concat(names), StringComparer.Ordinal);
}
