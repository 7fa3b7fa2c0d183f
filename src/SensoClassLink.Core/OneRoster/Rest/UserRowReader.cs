using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace SensoClassLink.Core.OneRoster.Rest;

/// <summary>
/// The engine's users fast path from OneRoster JSON: each user of a page is walked once into one reused
/// <see cref="PooledUserRow"/>. The id, status, enabledUser and roles are read for every user (status, enabledUser and
/// roles from the pool's small cache of repeating values); the email, names and orgs are only noted where they sit in
/// the page and decoded when the engine asks while the row is current (it asks for teachers, and for students' email
/// when planning groups). Most users are students, so this allocates one string per user where a record took a dozen
/// objects. Values mean exactly what <see cref="RosterCollections.Users"/> gives the same record.
/// </summary>
internal sealed class UserRowReader : PooledRowFields
{
    public const int Email = 0, GivenName = 1, FamilyName = 2, Orgs = 3;

    /// <summary>The fields a user row reads, found by one table lookup per property.</summary>
    private static readonly JsonFieldNames Names = new(
        (RosterJsonNames.SourcedId, false), (RosterJsonNames.Status, false), (RosterJsonNames.EnabledUser, false), (RosterJsonNames.Role, false),
        (RosterJsonNames.Orgs, false), (RosterJsonNames.Roles, false), (RosterJsonNames.Email, false), (RosterJsonNames.GivenName, false),
        (RosterJsonNames.FamilyName, false));

    /// <summary>Decodes the details of the current row: a cursor of its own, so the page walk keeps its place.</summary>
    private readonly Utf8JsonCursor _details = new();
    private byte[] _bytes = Array.Empty<byte>();
    private JsonToken _email, _given, _family;
    private (int Start, int End) _orgs, _roles;

    public UserRowReader()
    {
        Row = new PooledUserRow(this, Email, GivenName, FamilyName, Orgs, location: "");
    }

    /// <summary>The row every user of the pull is read into.</summary>
    public PooledUserRow Row { get; }

    /// <summary>Starts a page: details are decoded from its bytes until the next page.</summary>
    public void Open(RosterJsonBody body)
    {
        _bytes = body.Bytes;
        _details.Reset(_bytes, 0, body.Length);
    }

    /// <summary>Tokens noted per user, in the order of the names: sourcedId, status, enabledUser, role, orgs, roles, email, givenName, familyName.</summary>
    public const int Fields = 9;

    private const int Id = 0, Status = 1, Enabled = 2, Role = 3, OrgsAt = 4, RolesAt = 5, EmailAt = 6, GivenAt = 7, FamilyAt = 8;

    /// <summary>
    /// Walks one user (the cursor at its '{'), checking it, and notes its tokens: the
    /// scalars as tokens (into <paramref name="tokens"/>, blank on entry), orgs[] and roles[] as the whole value's range (<see cref="JsonTokenKind.Raw"/>), read again
    /// only when the engine asks. On the fetching thread, while the page is checked: the consumer never walks the user again.
    /// </summary>
    [MethodImpl(HotPath.Optimize)]
    public static void Index(Utf8JsonCursor r, Span<JsonToken> tokens)
    {
        r.BeginObject();
        while (r.NextProperty())
        {
            // As MapUser: a repeated name keeps its last value.
            int field = r.NameIndex(Names);
            if (field < 0)
            {
                r.SkipValue();
            }
            else if (field == OrgsAt || field == RolesAt)
            {
                var (start, end) = r.SkipValueRange();
                tokens[field] = new JsonToken(start, end - start, JsonTokenKind.Raw);
            }
            else
            {
                tokens[field] = r.ScanToken();
            }
        }
    }

    /// <summary>
    /// Reads user <paramref name="record"/> of the page (its tokens noted by <see cref="Index"/>; <paramref name="r"/>
    /// on the page's bytes) into <see cref="Row"/>; false (the row is not to be used) when the sourcedId was seen
    /// before in this pull, as <see cref="RestRosterSource.ReadCollection"/> drops a repeated record.
    /// </summary>
    [MethodImpl(HotPath.Optimize)]
    public bool Read(Utf8JsonCursor r, JsonToken[] tape, int record, CsvStringPool pool, SourcedIdSet seen)
    {
        int at = record * Fields;
        _email = tape[at + EmailAt];
        _given = tape[at + GivenAt];
        _family = tape[at + FamilyAt];
        _orgs = Range(tape[at + OrgsAt]);
        _roles = Range(tape[at + RolesAt]);
        int idLength = r.DecodeToken(tape[at + Id]);
        if (!seen.AddHash(SourcedIdSet.Hash(new ReadOnlySpan<char>(r.Chars, 0, idLength))))
        {
            return false;
        }
        var row = Row;
        // The id is given a pool id with its characters (the engine keys users by it); its string is the engine's to keep or drop.
        row.SourcedId = idLength == 0 ? "" : pool.Get(PoolMode.InternChars, r.Chars, 0, idLength);
        row.Status = pool.Get(PoolMode.Recent, r.Chars, 0, r.DecodeToken(tape[at + Status]));
        row.EnabledUser = OneRosterValues.NormalizeBoolean(pool.Get(PoolMode.Recent, r.Chars, 0, r.DecodeToken(tape[at + Enabled])));
        bool isTeacher = false, isStudent = false;
        AddRole(pool.Get(PoolMode.Recent, r.Chars, 0, r.DecodeToken(tape[at + Role])), ref isTeacher, ref isStudent);
        if (_roles.End > _roles.Start)
        {
            foreach (var (entryRole, _) in ReadRoleEntries())
            {
                AddRole(entryRole, ref isTeacher, ref isStudent);
            }
        }
        row.IsTeacher = isTeacher;
        row.IsStudent = isStudent;
        return true;
    }

    private static (int Start, int End) Range(JsonToken token) => token.Kind == JsonTokenKind.Raw ? (token.Start, token.Start + token.Length) : default;

    /// <summary>A role as MapUser lists it (trimmed, lower-cased) weighed as the engine weighs a record's roles.</summary>
    private static void AddRole(string role, ref bool isTeacher, ref bool isStudent)
    {
        string listed = role.Trim().ToLowerInvariant();
        isTeacher |= RosterRoles.IsTeacher(listed);
        isStudent |= RosterRoles.IsStudent(listed);
    }

    public override string Get(int ordinal)
    {
        var token = ordinal switch { Email => _email, GivenName => _given, FamilyName => _family, _ => default };
        int length = _details.DecodeToken(token);
        return length == 0 ? "" : new string(_details.Chars, 0, length);
    }

    /// <summary>The orgs as MapUser gives them: the orgs[] GUIDRefs, then each roles[] entry's org, blanks and repeats dropped.</summary>
    public override IReadOnlyList<string> GetList(int ordinal)
    {
        var orgs = new List<string>();
        if (_orgs.End > _orgs.Start)
        {
            _details.Reset(_bytes, _orgs.Start, _orgs.End);
            foreach (string org in RosterCollections.ReadOrgRefs(_details) ?? new List<string>())
            {
                RosterCollections.AddDistinct(orgs, org);
            }
        }
        foreach (var (_, org) in ReadRoleEntries())
        {
            RosterCollections.AddDistinct(orgs, org);
        }
        return orgs;
    }

    private List<(string Role, string Org)> ReadRoleEntries()
    {
        if (_roles.End <= _roles.Start)
        {
            return new List<(string, string)>();
        }
        _details.Reset(_bytes, _roles.Start, _roles.End);
        return RosterCollections.ReadRoleEntries(_details) ?? new List<(string, string)>();
    }
}
