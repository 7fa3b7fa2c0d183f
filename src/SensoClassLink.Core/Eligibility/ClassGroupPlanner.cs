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

/// <summary>Counting (class, teacher record) pairs, looked up both ways.</summary>
internal sealed class TeacherClassPairs
{
    private readonly Dictionary<int, List<int>> _ownersOfClass = new();
    private readonly Dictionary<int, List<int>> _classesOfRecord = new();

    public TeacherClassPairs(List<long> classRecordPairs)
    {
        classRecordPairs.Sort();
        long previous = -1;
        foreach (long pair in classRecordPairs)
        {
            if (pair == previous)
            {
                continue;
            }
            previous = pair;
            int cls = (int)(pair >> 32);
            int record = (int)(pair & 0xFFFFFFFF);
            Add(_ownersOfClass, cls, record);
            Add(_classesOfRecord, record, cls);
        }
    }

    public IReadOnlyList<int> OwnersOf(int cls) => _ownersOfClass.TryGetValue(cls, out var list) ? list : (IReadOnlyList<int>)Array.Empty<int>();

    public IReadOnlyList<int> ClassesOf(int record) => _classesOfRecord.TryGetValue(record, out var list) ? list : (IReadOnlyList<int>)Array.Empty<int>();

    private static void Add(Dictionary<int, List<int>> map, int key, int value)
    {
        if (!map.TryGetValue(key, out var list))
        {
            list = new List<int>(2);
            map.Add(key, list);
        }
        list.Add(value);
    }
}
