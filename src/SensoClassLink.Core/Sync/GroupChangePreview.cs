using System;
using System.Collections.Generic;
using System.Linq;
using SensoClassLink.Core.Senso;

namespace SensoClassLink.Core.Sync;

/// <summary>
/// What <see cref="ISensoProvider.ReplaceUserGroupsAsync"/> would change, computed without writing: the -WhatIf
/// answer. Same rules as the providers: a kept group is unchanged only when its name, owners and members match.
/// </summary>
public static class GroupChangePreview
{
    public static GroupReplaceResult Compare(string ownerEmail, IReadOnlyList<SensoGroup> desired, IReadOnlyList<SensoGroup> currentlyOwned)
    {
        var wanted = GroupSet.Normalize(ownerEmail, desired);
        var current = currentlyOwned.ToDictionary(g => g.Key, StringComparer.Ordinal);
        var added = new List<string>();
        var updated = new List<string>();
        var unchanged = new List<string>();
        foreach (var group in wanted)
        {
            if (!current.TryGetValue(group.Key, out var existing))
            {
                added.Add(group.Key);
            }
            else if (existing.Name == group.Name && existing.Owners.SequenceEqual(group.Owners) && existing.Members.SequenceEqual(group.Members))
            {
                unchanged.Add(group.Key);
            }
            else
            {
                updated.Add(group.Key);
            }
        }
        var wantedKeys = new HashSet<string>(wanted.Select(g => g.Key), StringComparer.Ordinal);
        var removed = current.Keys.Where(k => !wantedKeys.Contains(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        return new GroupReplaceResult { Added = added, Removed = removed, Updated = updated, Unchanged = unchanged };
    }
}
