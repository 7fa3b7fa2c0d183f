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
/// Turns a teacher's populated classes into the Senso class groups they should own, and fingerprints those
/// group sets so a nightly sync can skip teachers whose groups have not changed.
/// </summary>
public static class ClassGroupPlanner
{
    /// <summary>
    /// For each requested teacher (normalized email) found in the roster: one group per class of theirs with at
    /// least one counting student. Key = class sourcedId, Name = title, Owners = valid emails of every teacher with a
    /// counting teacher enrollment in the class, Members = student emails (sourcedId when blank or invalid); sorted,
    /// distinct. A teacher not in the roster gets no entry. Reads enrollments twice so that memory is bounded by
    /// the requested teachers' classes, not by the roster's enrollments.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<SensoGroup>> PlanGroups(IRosterSource source, DateTime asOf,
        IReadOnlyCollection<string> teacherEmails, CancellationToken ct)
    {
        var requested = new HashSet<string>(teacherEmails.Select(EmailAddress.Normalize).Where(e => e.Length > 0), StringComparer.Ordinal);
        var index = RosterIndex.Build(source, asOf, _ => { }, MemberKeyMode.Keys, ct);
        var groups = index.GroupTeachers().Where(g => requested.Contains(index.TeacherRecords[g[0]].Email)).ToList();
        var result = new Dictionary<string, IReadOnlyList<SensoGroup>>(StringComparer.Ordinal);
        if (groups.Count == 0)
        {
            return result;
        }

        // Pass 1: every counting teacher enrollment (owners come from all teachers, not only the requested ones).
        var owners = TeacherPairs(source, index, ct);
        var wanted = new HashSet<int>(groups.SelectMany(g => ClassesOf(g, index, owners)));

        // Pass 2: students of the wanted classes only.
        var members = new Dictionary<int, HashSet<string>>();
        if (wanted.Count > 0)
        {
            foreach (var enrollment in source.ReadEnrollments(ct))
            {
                if (index.Classify(enrollment, out int cls, out int user) == EnrollmentKind.Student && wanted.Contains(cls))
                {
                    if (!members.TryGetValue(cls, out var set))
                    {
                        set = new HashSet<string>(StringComparer.Ordinal);
                        members.Add(cls, set);
                    }
                    set.Add(index.MemberKeys![user]);
                }
            }
        }

        foreach (var group in groups)
        {
            var list = new List<SensoGroup>();
            foreach (int cls in ClassesOf(group, index, owners).OrderBy(c => index.Classes[c].SourcedId, StringComparer.Ordinal))
            {
                if (!members.TryGetValue(cls, out var set) || set.Count == 0)
                {
                    continue;
                }
                list.Add(new SensoGroup
                {
                    Key = index.Classes[cls].SourcedId,
                    Name = index.Classes[cls].Title,
                    Owners = OwnerEmails(owners.OwnersOf(cls), index),
                    Members = set.OrderBy(m => m, StringComparer.Ordinal).ToArray(),
                });
            }
            result[index.TeacherRecords[group[0]].Email] = list;
        }
        return result;
    }

    /// <summary>
    /// For every eligible teacher (normalized email), a fingerprint of exactly the group set
    /// <see cref="PlanGroups"/> would produce for them. One pass over enrollments; memory O(users + classes + teachers):
    /// members enter a class's fingerprint as an order-independent sum of 64-bit hashes. The one approximation:
    /// a student enrolled twice in the same class (a duplicated row) is summed twice, so adding or removing such a
    /// duplicate changes the fingerprint without changing the groups; that costs one needless resync, never a missed one.
    /// </summary>
    public static IReadOnlyDictionary<string, string> GroupFingerprints(IRosterSource source, DateTime asOf, CancellationToken ct)
    {
        var index = RosterIndex.Build(source, asOf, _ => { }, MemberKeyMode.Hashes, ct);
        var sums = new ulong[index.Classes.Count];
        var rows = new int[index.Classes.Count];
        var pairs = new List<long>();
        foreach (var enrollment in source.ReadEnrollments(ct))
        {
            switch (index.Classify(enrollment, out int cls, out int who))
            {
                case EnrollmentKind.Student:
                    unchecked
                    {
                        sums[cls] += index.MemberHashes![who];
                    }
                    rows[cls]++;
                    break;
                case EnrollmentKind.Teacher:
                    pairs.Add(((long)cls << 32) | (uint)who);
                    break;
            }
        }
        var owners = new TeacherClassPairs(pairs);

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in index.GroupTeachers())
        {
            ct.ThrowIfCancellationRequested();
            string email = index.TeacherRecords[group[0]].Email;
            if (!EmailAddress.IsValid(email))
            {
                continue;
            }
            var populated = ClassesOf(group, index, owners).Where(c => rows[c] > 0)
                .OrderBy(c => index.Classes[c].SourcedId, StringComparer.Ordinal)
                .Select(c => (index.Classes[c].SourcedId, index.Classes[c].Title, OwnerEmails(owners.OwnersOf(c), index), sums[c]))
                .ToList();
            if (populated.Count > 0)
            {
                result[email] = Hash(populated);
            }
        }
        return result;
    }

    /// <summary>The fingerprint of a group set as <see cref="GroupFingerprints"/> computes it (members taken as given, once each).</summary>
    public static string Fingerprint(IEnumerable<SensoGroup> groups) =>
        Hash(groups.OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Name, (IReadOnlyList<string>)g.Owners.Distinct().OrderBy(o => o, StringComparer.Ordinal).ToArray(),
                g.Members.Distinct().Aggregate(0UL, (sum, m) => unchecked(sum + MemberHash(m)))))
            .ToList());

    private static string Hash(List<(string Key, string Name, IReadOnlyList<string> Owners, ulong MemberSum)> groups)
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

    private static TeacherClassPairs TeacherPairs(IRosterSource source, RosterIndex index, CancellationToken ct)
    {
        var pairs = new List<long>();
        foreach (var enrollment in source.ReadEnrollments(ct))
        {
            if (index.Classify(enrollment, out int cls, out int record) == EnrollmentKind.Teacher)
            {
                pairs.Add(((long)cls << 32) | (uint)record);
            }
        }
        return new TeacherClassPairs(pairs);
    }

    /// <summary>The distinct classes of a merged teacher's active records.</summary>
    private static IEnumerable<int> ClassesOf(List<int> group, RosterIndex index, TeacherClassPairs pairs)
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

    private static IReadOnlyList<string> OwnerEmails(IEnumerable<int> records, RosterIndex index) =>
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
