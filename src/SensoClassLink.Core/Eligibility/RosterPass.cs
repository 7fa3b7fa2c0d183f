using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using SensoClassLink.Core.OneRoster;
using SensoClassLink.Core.Senso;

namespace SensoClassLink.Core.Eligibility;

/// <summary>
/// One pass over a roster: each collection read once, into one index that answers eligibility, the group
/// fingerprints of every teacher and the group plans of any teachers asked for. Commands that used to read the
/// roster once per question (evaluate, fingerprint, plan) read it once and ask this. Enrollment rows are never
/// kept: each is reduced to an int in its class's student list or a (class, teacher record) pair.
/// </summary>
public sealed class RosterPass
{
    /// <summary>From this many enrollments on, the memory a pass frees is worth a collection (see <see cref="Read"/>).</summary>
    internal const long LargeReadEnrollments = 1_000_000;

    private static readonly RosterCollectionKind[] WholeRead = { RosterCollectionKind.Users, RosterCollectionKind.Classes, RosterCollectionKind.Enrollments };

    // Null when read without group data (only the evaluation is kept).
    private readonly RosterIndex? _index;
    private readonly ClassStudentLists? _students;
    private readonly TeacherClassPairs? _pairs;
    /// <summary>Per class: the sum of the member hashes of its student rows, duplicates included (see <see cref="GroupFingerprints"/>).</summary>
    private readonly ulong[]? _memberSums;

    private RosterPass(DateTime asOf, RosterIndex? index, ClassStudentLists? students, TeacherClassPairs? pairs, ulong[]? memberSums, RosterEvaluation evaluation)
    {
        AsOf = asOf;
        _index = index;
        _students = students;
        _pairs = pairs;
        _memberSums = memberSums;
        Evaluation = evaluation;
    }

    /// <summary>The date enrollments were judged current on.</summary>
    public DateTime AsOf { get; }

    /// <summary>Every teacher and whether Senso may create them.</summary>
    public RosterEvaluation Evaluation { get; }

    /// <summary>True when the pass kept the member keys that group plans and fingerprints need.</summary>
    public bool HasGroups => _index?.MemberKeys is not null;

    /// <summary>
    /// Reads <paramref name="source"/> once. With <paramref name="withGroups"/> each active student's member key is
    /// kept too (a string per student), so that <see cref="PlanGroups"/> and <see cref="GroupFingerprints"/> can be
    /// answered; without it (listing teachers only) memory grows with users and classes, not with their emails.
    /// </summary>
    public static RosterPass Read(IRosterSource source, DateTime asOf, RosterReadObserver? observer, bool withGroups, CancellationToken ct,
        RosterRules? rules = null)
    {
        if (source is null)
        {
            throw new ArgumentNullException(nameof(source));
        }
        observer ??= RosterReadObserver.None;
        int warnings = 0;
        void Warn(DataQualityWarning w)
        {
            warnings++;
            observer.Warning?.Invoke(w);
        }

        // Row-level warnings (unreadable rows) go from the source to the observer it was built with; the ones
        // counted here are the rules' own: duplicates, dangling references, unreadable dates.
        // This read goes through users, classes and enrollments to their ends: a REST source fetches their first pages now.
        (source as ISupportsReadAhead)?.ReadAhead(WholeRead, ct);
        var index = RosterIndex.Build(source, asOf, Warn, withGroups ? MemberKeyMode.Keys : MemberKeyMode.None, ct, rules);
        var students = new ClassStudentLists(index.Classes.Count);
        var teacherClasses = new List<long>();
        EligibilityEngine.ReadEnrollments(source, index, students, teacherClasses, ct, out long enrollments, out long counting);
        index.ReleaseIds(source);
        ct.ThrowIfCancellationRequested();
        if (!withGroups && enrollments >= LargeReadEnrollments)
        {
            // The pool just freed (at 10M enrollments some 60 MB of id characters, hash table and spans) has been alive
            // the whole read, so it sits in the oldest generation, which the collections the evaluation triggers do not
            // visit: without this the evaluation's objects are laid on top of it and the peak comes there. What is
            // alive now is mostly int arrays, quick to mark.
            GC.Collect();
        }
        // Fingerprints sum every student row, as they always have (a duplicated row counts twice), so the sums are
        // taken before duplicates are removed: a stored fingerprint stays valid across this change.
        var sums = withGroups ? MemberSums(index, students) : null;
        students.SortAndDeduplicate();
        var pairs = new TeacherClassPairs(teacherClasses);
        var evaluation = EligibilityEngine.Evaluate(index, pairs, students, enrollments, counting, warnings, ct);
        // Without group data nothing but the evaluation can be asked of the pass: the index, the student lists and the
        // pairs become garbage now, before the command turns the evaluation into output objects.
        return withGroups ? new RosterPass(asOf, index, students, pairs, sums, evaluation) : new RosterPass(asOf, null, null, null, null, evaluation);
    }

    /// <summary>
    /// For each requested teacher (normalized email) found in the roster: one group per class of theirs with at
    /// least one counting student. Key = class sourcedId, Name = the class's group name (<c>import.groupName</c>, the title by default), Owners = valid emails of every teacher with a
    /// counting teacher enrollment in the class, Members = student emails (sourcedId when blank or invalid); sorted,
    /// distinct. A teacher not in the roster gets no entry.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<SensoGroup>> PlanGroups(IEnumerable<string> teacherEmails)
    {
        var keys = RequireGroups();
        var requested = new HashSet<string>(teacherEmails.Select(EmailAddress.Normalize).Where(e => e.Length > 0), StringComparer.Ordinal);
        var result = new Dictionary<string, IReadOnlyList<SensoGroup>>(StringComparer.Ordinal);
        if (requested.Count == 0)
        {
            return result;
        }
        foreach (var group in Index.GroupTeachers())
        {
            string email = Index.TeacherRecords[group[0]].Email;
            if (!requested.Contains(email))
            {
                continue;
            }
            var list = new List<SensoGroup>();
            foreach (int cls in ClassGroupPlanner.ClassesOf(group, Index, Pairs).OrderBy(c => Index.Classes[c].SourcedId, StringComparer.Ordinal))
            {
                int count = Students.Count(cls);
                if (count == 0)
                {
                    continue;
                }
                var members = new SortedSet<string>(StringComparer.Ordinal);
                for (int i = 0; i < count; i++)
                {
                    members.Add(keys[Students.Get(cls, i)]);
                }
                list.Add(new SensoGroup
                {
                    Key = Index.Classes[cls].SourcedId,
                    Name = Index.Classes[cls].GroupName,
                    Owners = ClassGroupPlanner.OwnerEmails(Pairs.OwnersOf(cls), Index),
                    Members = members.ToArray(),
                });
            }
            result[email] = list;
        }
        return result;
    }

    /// <summary>
    /// For every teacher with a valid email and a populated class, a fingerprint of exactly the group set
    /// <see cref="PlanGroups"/> would produce for them: members enter a class's fingerprint as an order-independent
    /// sum of 64-bit hashes. The one approximation: a student enrolled twice in the same class (a duplicated row) is
    /// summed twice, so adding or removing such a duplicate changes the fingerprint without changing the groups;
    /// that costs one needless resync, never a missed one.
    /// </summary>
    public IReadOnlyDictionary<string, string> GroupFingerprints(CancellationToken ct = default)
    {
        RequireGroups();
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in Index.GroupTeachers())
        {
            ct.ThrowIfCancellationRequested();
            string email = Index.TeacherRecords[group[0]].Email;
            if (!EmailAddress.IsValid(email))
            {
                continue;
            }
            var populated = ClassGroupPlanner.ClassesOf(group, Index, Pairs).Where(c => Students.Count(c) > 0)
                .OrderBy(c => Index.Classes[c].SourcedId, StringComparer.Ordinal)
                .Select(c => (Index.Classes[c].SourcedId, Index.Classes[c].GroupName, ClassGroupPlanner.OwnerEmails(Pairs.OwnersOf(c), Index), _memberSums![c]))
                .ToList();
            if (populated.Count > 0)
            {
                result[email] = ClassGroupPlanner.Hash(populated);
            }
        }
        return result;
    }

    private List<string> RequireGroups() =>
        _index?.MemberKeys ?? throw new InvalidOperationException("This roster pass was read without group data; read it with withGroups: true.");

    private RosterIndex Index => _index!;
    private ClassStudentLists Students => _students!;
    private TeacherClassPairs Pairs => _pairs!;

    private static ulong[] MemberSums(RosterIndex index, ClassStudentLists students)
    {
        var keys = index.MemberKeys!;
        var hashes = new ulong[keys.Count];
        for (int i = 0; i < hashes.Length; i++)
        {
            hashes[i] = keys[i].Length == 0 ? 0 : ClassGroupPlanner.MemberHash(keys[i]);
        }
        var sums = new ulong[index.Classes.Count];
        for (int c = 0; c < sums.Length; c++)
        {
            int count = students.Count(c);
            ulong sum = 0;
            for (int i = 0; i < count; i++)
            {
                unchecked
                {
                    sum += hashes[students.Get(c, i)];
                }
            }
            sums[c] = sum;
        }
        return sums;
    }
}
