using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SensoClassLink.Core.Eligibility;
using SensoClassLink.Core.Senso;

namespace SensoClassLink.Core.Sync;

/// <summary>
/// Decides the Senso role and site of each imported teacher, with every name resolved against Senso
/// before anything is written: an explicit role and site win; otherwise the integration's DefaultRole,
/// and the site mapped from the teacher's school (import.siteBySchool), else DefaultSite.
/// </summary>
public sealed class PlacementPlanner
{
    private readonly string _role;
    private readonly string? _explicitSite;
    private readonly string? _defaultSite;
    private readonly IReadOnlyDictionary<string, string> _siteBySchool;

    private PlacementPlanner(string role, string? explicitSite, string? defaultSite, IReadOnlyDictionary<string, string> siteBySchool)
    {
        _role = role;
        _explicitSite = explicitSite;
        _defaultSite = defaultSite;
        _siteBySchool = siteBySchool;
    }

    public string Role => _role;

    /// <summary>
    /// Resolves every name that may be used. Throws <see cref="NameNotFoundException"/> for an unknown role or
    /// site (including a site named in import.siteBySchool) and <see cref="PlacementException"/> when no role,
    /// or no site at all, can be determined.
    /// </summary>
    public static async Task<PlacementPlanner> CreateAsync(ISensoProvider senso, string? role, string? site,
        IntegrationSettings settings, IReadOnlyDictionary<string, string> siteBySchool, CancellationToken cancellationToken)
    {
        string? requestedRole = Blank(role) ?? Blank(settings.DefaultRole);
        if (requestedRole is null)
        {
            throw new PlacementException("No role given: pass -Role, or set a default with Set-ClassLinkIntegrationSetting -DefaultRole.");
        }
        var roles = await senso.GetRolesAsync(cancellationToken).ConfigureAwait(false);
        string resolvedRole = NameResolver.Resolve("role", requestedRole, roles.Select(r => r.Name));

        var siteNames = (await senso.GetSitesAsync(cancellationToken).ConfigureAwait(false)).Select(s => s.Name).ToList();
        string? explicitSite = Blank(site) is { } s ? NameResolver.Resolve("site", s, siteNames) : null;
        string? defaultSite = Blank(settings.DefaultSite) is { } d ? NameResolver.Resolve("site", d, siteNames) : null;
        var mapped = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (explicitSite is null)
        {
            foreach (var pair in siteBySchool)
            {
                mapped[pair.Key] = NameResolver.Resolve("site", pair.Value, siteNames);
            }
            if (defaultSite is null && mapped.Count == 0)
            {
                throw new PlacementException("No site given: pass -Site, set a default with Set-ClassLinkIntegrationSetting -DefaultSite, or map schools to sites in import.siteBySchool.");
            }
        }
        return new PlacementPlanner(resolvedRole, explicitSite, defaultSite, mapped);
    }

    /// <summary>The site for one teacher, or null when neither the map nor a default covers them.</summary>
    public string? SiteFor(TeacherEligibility teacher)
    {
        if (_explicitSite is not null)
        {
            return _explicitSite;
        }
        foreach (string school in teacher.SchoolNames.Concat(teacher.SchoolSourcedIds))
        {
            if (_siteBySchool.TryGetValue(school, out string? mapped))
            {
                return mapped;
            }
        }
        return _defaultSite;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
}

/// <summary>A role or site that cannot be decided at all; raised before any write.</summary>
public sealed class PlacementException : Exception
{
    public PlacementException(string message)
        : base(message)
    {
    }
}
