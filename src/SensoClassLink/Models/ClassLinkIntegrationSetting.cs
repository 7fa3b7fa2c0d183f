using SensoClassLink.Core.Senso;

namespace SensoClassLink.Models;

/// <summary>The ClassLink integration's settings in Senso.</summary>
public sealed class ClassLinkIntegrationSetting
{
    internal ClassLinkIntegrationSetting(IntegrationSettings settings, string tenant)
    {
        AutomaticallyCreateUsers = settings.AutomaticallyCreateUsers;
        DefaultRole = settings.DefaultRole;
        DefaultSite = settings.DefaultSite;
        Tenant = tenant;
    }

    /// <summary>Teachers get accounts during the data sync (only if they have classes with students; username = email).</summary>
    public bool AutomaticallyCreateUsers { get; }
    /// <summary>The role of automatically created accounts (and of Import-SensoUser without -Role); null when unset.</summary>
    public string? DefaultRole { get; }
    /// <summary>The site for teachers whose school import.siteBySchool does not map; null when unset.</summary>
    public string? DefaultSite { get; }
    /// <summary>Where the settings live (the Senso provider's description).</summary>
    public string Tenant { get; }
}
