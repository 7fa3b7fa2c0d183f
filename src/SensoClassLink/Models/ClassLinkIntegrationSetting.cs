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
        SuspendDepartedUsers = settings.SuspendDepartedUsers;
        SuspendAfterDays = settings.SuspendAfterDays;
        Tenant = tenant;
    }

    /// <summary>Teachers get accounts during the data sync (only if they have classes with students; username = email).</summary>
    public bool AutomaticallyCreateUsers { get; }
    /// <summary>The role of automatically created accounts (and of Import-SensoUser without -Role); null when unset.</summary>
    public string? DefaultRole { get; }
    /// <summary>The site for teachers whose school import.siteBySchool does not map; null when unset.</summary>
    public string? DefaultSite { get; }
    /// <summary>The data sync suspends ClassLink teachers who left the roster (never deletes); off: they are only listed.</summary>
    public bool SuspendDepartedUsers { get; }
    /// <summary>Consecutive roster days a teacher must be departed before suspension (0: the first run that sees it).</summary>
    public int SuspendAfterDays { get; }
    /// <summary>Where the settings live (the Senso provider's description).</summary>
    public string Tenant { get; }
}
