using SensoClassLink.Core.Eligibility;
using System;
using System.Collections.Generic;
using System.Linq;

namespace SensoClassLink.Core.Senso;

/// <summary>Checks and canonicalises a desired group set before any provider applies it (pure, shared by both providers).</summary>
public static class GroupSet
{
    /// <summary>
    /// Trims keys and names, lower-cases owner emails and adds <paramref name="ownerEmail"/> to each group's owners,
    /// sorts and de-duplicates owners and members. Rejects empty or repeated keys, naming the key.
    /// </summary>
    public static IReadOnlyList<SensoGroup> Normalize(string ownerEmail, IReadOnlyList<SensoGroup> groups)
    {
        string owner = EmailAddress.Normalize(ownerEmail);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<SensoGroup>(groups.Count);
        for (int i = 0; i < groups.Count; i++)
        {
            var group = groups[i] ?? throw new ArgumentException($"Group {i + 1} of {owner}'s set is null.", nameof(groups));
            string key = (group.Key ?? "").Trim();
            if (key.Length == 0)
            {
                throw new ArgumentException($"Group {i + 1} of {owner}'s set has no key (the class sourcedId).", nameof(groups));
            }
            if (!seen.Add(key))
            {
                throw new ArgumentException($"The group '{key}' appears more than once in {owner}'s set.", nameof(groups));
            }
            var owners = (group.Owners ?? Array.Empty<string>()).Select(EmailAddress.Normalize).Where(o => o.Length > 0)
                .Append(owner).Distinct(StringComparer.Ordinal).OrderBy(o => o, StringComparer.Ordinal).ToList();
            var members = (group.Members ?? Array.Empty<string>()).Select(m => m.Trim()).Where(m => m.Length > 0)
                .Select(m => m.Contains('@') ? m.ToLowerInvariant() : m)
                .Distinct(StringComparer.Ordinal).OrderBy(m => m, StringComparer.Ordinal).ToList();
            string name = (group.Name ?? "").Trim();
            result.Add(new SensoGroup { Key = key, Name = name.Length == 0 ? key : name, Owners = owners, Members = members });
        }
        return result;
    }
}
