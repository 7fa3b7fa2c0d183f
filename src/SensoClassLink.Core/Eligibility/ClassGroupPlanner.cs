using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.Senso;

namespace SensoClassLink.Core.Eligibility;

/// <summary>
/// The rules shared by group plans and group fingerprints (see <see cref="RosterPass"/>, which reads the roster):
/// a merged teacher's classes, a class's owners, and the fingerprint of a group set, so a nightly sync can skip
/// teachers whose groups have not changed.
/// </summary>
public static class ClassGroupPlanner
{
    /// <summary>The fingerprint of a group set as <see cref="RosterPass.GroupFingerprints"/> computes it (members taken as given, once each).</summary>
    internal static string Fingerprint(IEnumerable<SensoGroup> groups) =>
        Hash(groups.OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Name, (IReadOnlyList<string>)g.Owners.Distinct().OrderBy(o => o, StringComparer.Ordinal).ToArray(),
                g.Members.Distinct().Aggregate(0UL, (sum, m) => unchecked(sum + MemberHash(m)))))
            .ToList());

    internal static string Hash(List<(string Key, string Name, IReadOnlyList<string> Owners, ulong MemberSum)> groups)
    {
        var text = new StringBuilder();
        foreach (var (key, name, owners, sum) in groups)
        {
            // Lengths prefix each field so no choice of characters can make two different sets hash alike.
            Append(text, key);
            Append(text, name);
            text.Append(owners.Count.ToString(CultureInfo.InvariantCulture)).Append(':');
            foreach (string owner in owners)
            {
                Append(text, owner);
            }
            text.Append(sum.ToString("x16", CultureInfo.InvariantCulture)).Append('\n');
        }
        using var sha = SHA256.Create();
        byte[] digest = sha.ComputeHash(Encoding.UTF8.GetBytes(text.ToString()));
        var hex = new StringBuilder(32);
        for (int i = 0; i < 16; i++)
        {
            hex.Append(digest[i].ToString("x2", CultureInfo.InvariantCulture));
        }
        return hex.ToString();
    }

    private static void Append(StringBuilder text, string value) =>
        text.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);

    /// <summary>A well-mixed 64-bit hash of a member key (FNV-1a over UTF-16, then the SplitMix64 finalizer).</summary>
    internal static ulong MemberHash(string key)
    {
        unchecked
        {
            ulong h = 14695981039346656037UL;
            foreach (char c in key)
            {
                h = (h ^ c) * 1099511628211UL;
            }
            h ^= h >> 30;
            h *= 0xbf58476d1ce4e5b9UL;
            h ^= h >> 27;
            h *= 0x94d049bb133111ebUL;
            h ^= h >> 31;
            return h;
        }
    }

    /// <summary>The distinct classes of a merged teacher's active records.</summary>
    internal static IEnumerable<int> ClassesOf(List<int> group, RosterIndex index, TeacherClassPairs pairs)
    {
        var classes = new HashSet<int>();
        foreach (int record in group)
        {
            if (index.TeacherRecords[record].Active)
            {
                classes.UnionWith(pairs.ClassesOf(record));
            }
        }
        return classes;
    }

    internal static IReadOnlyList<string> OwnerEmails(IEnumerable<int> records, RosterIndex index) =>
        records.Select(r => index.TeacherRecords[r].Email).Where(EmailAddress.IsValid).Distinct()
            .OrderBy(e => e, StringComparer.Ordinal).ToArray();
}

/// <summary>
/// The distinct (class, teacher record) pairs of counting teacher enrollments, both ways: a class's owners and a
/// record's classes, each in ascending order. Held as two compressed tables (offsets and values) rather than a
/// list per class and per record: at 10M enrollments 300k classes cost 8 bytes each instead of about 90.
/// </summary>
internal sealed class TeacherClassPairs
{
    // Owners of class c: _owners[_ownerStarts[c] .. _ownerStarts[c + 1]); classes of record r likewise.
    private readonly int[] _ownerStarts;
    private readonly int[] _owners;
    private readonly int[] _classStarts;
    private readonly int[] _classes;

    public TeacherClassPairs(List<long> classRecordPairs)
    {
        classRecordPairs.Sort();
        int distinct = 0, classCount = 0, recordCount = 0;
        for (int i = 0; i < classRecordPairs.Count; i++)
        {
            long pair = classRecordPairs[i];
            if (distinct > 0 && pair == classRecordPairs[distinct - 1])
            {
                continue;
            }
            classRecordPairs[distinct++] = pair;
            classCount = Math.Max(classCount, (int)(pair >> 32) + 1);
            recordCount = Math.Max(recordCount, (int)(pair & 0xFFFFFFFF) + 1);
        }

        // Sorted by class then record: the owners table is the records in that order.
        _ownerStarts = new int[classCount + 1];
        _owners = new int[distinct];
        _classStarts = new int[recordCount + 1];
        for (int i = 0; i < distinct; i++)
        {
            long pair = classRecordPairs[i];
            _ownerStarts[(int)(pair >> 32) + 1]++;
            _classStarts[(int)(pair & 0xFFFFFFFF) + 1]++;
            _owners[i] = (int)(pair & 0xFFFFFFFF);
        }
        for (int c = 0; c < classCount; c++)
        {
            _ownerStarts[c + 1] += _ownerStarts[c];
        }
        for (int r = 0; r < recordCount; r++)
        {
            _classStarts[r + 1] += _classStarts[r];
        }
        // A stable counting sort by record keeps each record's classes ascending.
        _classes = new int[distinct];
        var next = new int[recordCount];
        Array.Copy(_classStarts, next, recordCount);
        for (int i = 0; i < distinct; i++)
        {
            long pair = classRecordPairs[i];
            _classes[next[(int)(pair & 0xFFFFFFFF)]++] = (int)(pair >> 32);
        }
    }

    public IReadOnlyList<int> OwnersOf(int cls) => Slice(_owners, _ownerStarts, cls);

    public IReadOnlyList<int> ClassesOf(int record) => Slice(_classes, _classStarts, record);

    private static IReadOnlyList<int> Slice(int[] values, int[] starts, int key) =>
        key >= 0 && key < starts.Length - 1 && starts[key + 1] > starts[key]
            ? new ArraySegment<int>(values, starts[key], starts[key + 1] - starts[key])
            : Array.Empty<int>();
}
