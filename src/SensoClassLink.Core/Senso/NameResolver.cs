using System;
using System.Collections.Generic;
using System.Linq;
using SensoClassLink.Core.Configuration;

namespace SensoClassLink.Core.Senso;

/// <summary>
/// Resolves a role or site name the way a person types it: exact match first, then a case-insensitive
/// match when only one name fits. An unknown name raises an error that lists the closest valid names.
/// </summary>
public static class NameResolver
{
    public static string Resolve(string kind, string requested, IEnumerable<string> validNames)
    {
        var names = validNames.ToList();
        string? exact = names.FirstOrDefault(n => string.Equals(n, requested, StringComparison.Ordinal));
        if (exact is not null)
        {
            return exact;
        }
        var caseInsensitive = names.Where(n => string.Equals(n, requested, StringComparison.OrdinalIgnoreCase)).ToList();
        if (caseInsensitive.Count == 1)
        {
            return caseInsensitive[0];
        }
        throw new NameNotFoundException(kind, requested, Closest(requested, names));
    }

    /// <summary>Up to three valid names nearest to <paramref name="requested"/>, nearest first.</summary>
    public static IReadOnlyList<string> Closest(string requested, IReadOnlyList<string> names) =>
        names.OrderBy(n => EditDistance.Between(requested.ToLowerInvariant(), n.ToLowerInvariant()))
             .ThenBy(n => n, StringComparer.OrdinalIgnoreCase)
             .Take(3)
             .ToList();
}

/// <summary>A role or site name that Senso does not have.</summary>
public sealed class NameNotFoundException : Exception
{
    public NameNotFoundException(string kind, string requested, IReadOnlyList<string> closest)
        : base(closest.Count == 0
            ? $"Senso has no {kind} named '{requested}', and no {kind}s are defined."
            : $"Senso has no {kind} named '{requested}'. Closest valid names: {string.Join(", ", closest)}.")
    {
        Kind = kind;
        Requested = requested;
        Closest = closest;
    }

    /// <summary>"role" or "site".</summary>
    public string Kind { get; }
    public string Requested { get; }
    public IReadOnlyList<string> Closest { get; }
}
