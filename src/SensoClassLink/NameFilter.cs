using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using SensoClassLink.Core.Senso;
using SensoClassLink.Errors;

namespace SensoClassLink;

/// <summary>
/// -Name filtering for Get-SensoRole and Get-SensoSite: wildcard patterns filter silently; a plain name goes through
/// <see cref="NameResolver"/> so a typo gets the same "closest valid names" error as import and settings.
/// </summary>
internal static class NameFilter
{
    public static IEnumerable<T> Apply<T>(SensoClassLinkCmdlet cmdlet, string[]? patterns, IReadOnlyList<T> items, Func<T, string> name, string kind)
    {
        if (patterns is null)
        {
            return items;
        }
        var selected = new List<T>();
        foreach (string pattern in patterns)
        {
            if (WildcardPattern.ContainsWildcardCharacters(pattern))
            {
                var wildcard = WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase);
                selected.AddRange(items.Where(i => wildcard.IsMatch(name(i))));
                continue;
            }
            try
            {
                string resolved = NameResolver.Resolve(kind, pattern.Trim(), items.Select(name));
                selected.AddRange(items.Where(i => name(i) == resolved));
            }
            catch (NameNotFoundException ex)
            {
                cmdlet.WriteError(ErrorCatalog.Record(ex, pattern));
            }
        }
        return selected.Distinct();
    }
}
