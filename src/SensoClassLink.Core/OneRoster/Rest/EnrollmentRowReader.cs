using System;
using System.Runtime.CompilerServices;

namespace SensoClassLink.Core.OneRoster.Rest;

/// <summary>
/// Reads one enrollment record of a checked page straight into the engine's reused row: the user and class GUIDRefs
/// become pool ids without a string, status, role and dates come from the pool's small cache of repeating values,
/// and the sourcedId is only hashed for deduplication. Values mean exactly what <see cref="RosterCollections.Enrollments"/>
/// gives the same record.
/// </summary>
internal static class EnrollmentRowReader
{
    /// <summary>Fills <paramref name="row"/>; false (the row is not to be used) when the sourcedId was seen before in this pull.</summary>
    [MethodImpl(HotPath.Optimize)]
    public static bool Read(Utf8JsonCursor r, PooledEnrollmentRow row, CsvStringPool pool, SourcedIdSet seen)
    {
        ulong idHash = SourcedIdSet.Hash(ReadOnlySpan<char>.Empty);
        string status = "", role = "", begin = "", end = "";
        int classId = -1, userId = -1;
        r.BeginObject();
        while (r.NextProperty())
        {
            if (r.NameIs(RosterJsonNames.SourcedId))
            {
                idHash = SourcedIdSet.Hash(new ReadOnlySpan<char>(r.Chars, 0, r.ReadText()));
            }
            else if (r.NameIs(RosterJsonNames.Status))
            {
                status = pool.Get(PoolMode.Recent, r.Chars, 0, r.ReadText());
            }
            else if (r.NameIs(RosterJsonNames.Class))
            {
                classId = pool.IdOf(new ReadOnlySpan<char>(r.Chars, 0, r.ReadRef()));
            }
            else if (r.NameIs(RosterJsonNames.User))
            {
                userId = pool.IdOf(new ReadOnlySpan<char>(r.Chars, 0, r.ReadRef()));
            }
            else if (r.NameIs(RosterJsonNames.Role))
            {
                role = Trimmed(pool, r.Chars, r.ReadText());
            }
            else if (r.NameIs(RosterJsonNames.BeginDate))
            {
                begin = Date(pool, r.Chars, r.ReadText());
            }
            else if (r.NameIs(RosterJsonNames.EndDate))
            {
                end = Date(pool, r.Chars, r.ReadText());
            }
            else
            {
                r.SkipValue();
            }
        }
        if (!seen.AddHash(idHash))
        {
            return false;
        }
        row.ClassId = classId;
        row.UserId = userId;
        row.Status = status;
        row.Role = role;
        row.BeginDate = begin;
        row.EndDate = end;
        return true;
    }

    /// <summary>The role trimmed (the rules compare it ignoring case, as the record's lower-cased role).</summary>
    private static string Trimmed(CsvStringPool pool, char[] chars, int length)
    {
        int start = 0;
        while (start < length && char.IsWhiteSpace(chars[start]))
        {
            start++;
        }
        while (length > start && char.IsWhiteSpace(chars[length - 1]))
        {
            length--;
        }
        return pool.Get(PoolMode.Recent, chars, start, length - start);
    }

    /// <summary>A date as <see cref="RosterValues.NormalizeDate"/> gives it; plain YYYY-MM-DD (the usual case) without a new string.</summary>
    private static string Date(CsvStringPool pool, char[] chars, int length)
    {
        if (length <= 10)
        {
            // Ten characters are either a YYYY-MM-DD date or unreadable: both are kept as they are.
            return pool.Get(PoolMode.Recent, chars, 0, length);
        }
        string normalized = RosterValues.NormalizeDate(new string(chars, 0, length));
        return normalized.Length == 10 ? pool.Get(PoolMode.Recent, normalized.ToCharArray(), 0, 10) : normalized;
    }
}
