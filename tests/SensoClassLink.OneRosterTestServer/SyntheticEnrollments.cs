using System.Collections;
using SensoClassLink.Core.OneRoster;

namespace SensoClassLink.OneRosterTestServer;

/// <summary>
/// N enrollments computed from their index (sourcedIds sort in index order), spread over the dataset's
/// classes and users: lets the benchmark serve a million enrollments without holding them.
/// </summary>
internal sealed class SyntheticEnrollments : IReadOnlyList<RosterEnrollment>
{
    private readonly int _count;
    private readonly List<RosterUser> _users;
    private readonly List<RosterClass> _classes;

    public SyntheticEnrollments(int count, List<RosterUser> users, List<RosterClass> classes)
    {
        if (users.Count == 0 || classes.Count == 0)
        {
            throw new InvalidOperationException("Synthetic enrollments need at least one user and one class in the dataset.");
        }
        _count = count;
        _users = users;
        _classes = classes;
    }

    public int Count => _count;

    public RosterEnrollment this[int index]
    {
        get
        {
            var cls = _classes[index % _classes.Count];
            var user = _users[(int)((index * 7919L) % _users.Count)];
            return new RosterEnrollment
            {
                SourcedId = "se-" + index.ToString("D9", System.Globalization.CultureInfo.InvariantCulture),
                Status = "active",
                ClassSourcedId = cls.SourcedId,
                SchoolSourcedId = cls.SchoolSourcedId,
                UserSourcedId = user.SourcedId,
                Role = user.Roles.FirstOrDefault() ?? "student",
                BeginDate = "2025-08-01",
                EndDate = "",
            };
        }
    }

    public IEnumerator<RosterEnrollment> GetEnumerator()
    {
        for (int i = 0; i < _count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
