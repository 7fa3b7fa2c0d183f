using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using SensoClassLink.Completers;
using SensoClassLink.Core.Senso;
using SensoClassLink.Core.Sync;
using SensoClassLink.Errors;
using SensoClassLink.Models;

namespace SensoClassLink.Commands;

/// <summary>
/// Changes the ClassLink integration's settings in Senso. Role and site names are checked against Senso first:
/// an unknown name changes nothing and names the closest valid ones. An empty name clears the default.
/// </summary>
[Cmdlet(VerbsCommon.Set, "ClassLinkIntegrationSetting", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ClassLinkIntegrationSetting))]
public sealed class SetClassLinkIntegrationSettingCommand : SensoCommandBase
{
    /// <summary>Create accounts for eligible teachers during the data sync.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public bool AutomaticallyCreateUsers { get; set; }

    /// <summary>The role of automatically created accounts; '' clears it.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    [AllowNull]
    [ArgumentCompleter(typeof(SensoRoleNameCompleter))]
    public string? DefaultRole { get; set; }

    /// <summary>The site for teachers whose school import.siteBySchool does not map; '' clears it.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    [AllowNull]
    [ArgumentCompleter(typeof(SensoSiteNameCompleter))]
    public string? DefaultSite { get; set; }

    /// <summary>Suspend ClassLink teachers who left the roster (after SuspendAfterDays); off: they are only listed in the run's decisions.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public bool SuspendDepartedUsers { get; set; }

    /// <summary>Consecutive roster days a teacher must be departed before the data sync suspends them (0: the first run that sees it).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, IntegrationSettings.MaxSuspendAfterDays)]
    public int SuspendAfterDays { get; set; }

    /// <summary>Write the settings as saved.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var senso = Senso;
        var bound = MyInvocation.BoundParameters;
        var old = Await(senso.GetSettingsAsync(CancellationToken));
        bool automatic = bound.ContainsKey(nameof(AutomaticallyCreateUsers)) ? AutomaticallyCreateUsers : old.AutomaticallyCreateUsers;
        bool suspend = bound.ContainsKey(nameof(SuspendDepartedUsers)) ? SuspendDepartedUsers : old.SuspendDepartedUsers;
        int afterDays = bound.ContainsKey(nameof(SuspendAfterDays)) ? SuspendAfterDays : old.SuspendAfterDays;
        string? role = old.DefaultRole;
        string? site = old.DefaultSite;
        try
        {
            if (bound.ContainsKey(nameof(DefaultRole)))
            {
                role = string.IsNullOrWhiteSpace(DefaultRole) ? null
                    : NameResolver.Resolve("role", DefaultRole!.Trim(), Await(senso.GetRolesAsync(CancellationToken)).Select(r => r.Name));
            }
            if (bound.ContainsKey(nameof(DefaultSite)))
            {
                site = string.IsNullOrWhiteSpace(DefaultSite) ? null
                    : NameResolver.Resolve("site", DefaultSite!.Trim(), Await(senso.GetSitesAsync(CancellationToken)).Select(s => s.Name));
            }
        }
        catch (NameNotFoundException ex)
        {
            ThrowCallFailure(ex, ex.Requested);
            return;
        }

        var changes = new List<string>();
        if (automatic != old.AutomaticallyCreateUsers)
        {
            changes.Add($"AutomaticallyCreateUsers from {old.AutomaticallyCreateUsers} to {automatic}");
        }
        if (role != old.DefaultRole)
        {
            changes.Add($"DefaultRole from {Show(old.DefaultRole)} to {Show(role)}");
        }
        if (site != old.DefaultSite)
        {
            changes.Add($"DefaultSite from {Show(old.DefaultSite)} to {Show(site)}");
        }
        if (suspend != old.SuspendDepartedUsers)
        {
            changes.Add($"SuspendDepartedUsers from {old.SuspendDepartedUsers} to {suspend}");
        }
        if (afterDays != old.SuspendAfterDays)
        {
            changes.Add($"SuspendAfterDays from {old.SuspendAfterDays} to {afterDays}");
        }
        var updated = new IntegrationSettings
        {
            AutomaticallyCreateUsers = automatic, DefaultRole = role, DefaultSite = site, SuspendDepartedUsers = suspend, SuspendAfterDays = afterDays,
        };
        if (changes.Count == 0)
        {
            WriteVerbose("The ClassLink integration settings already have these values; nothing changed.");
        }
        else if (ShouldProcess(senso.Description, "Set ClassLink integration settings: " + string.Join("; ", changes)))
        {
            foreach (string change in changes)
            {
                WriteVerbose("Changing " + change + ".");
            }
            Await(senso.SaveSettingsAsync(updated, CancellationToken));
        }
        if (PassThru)
        {
            WriteObject(new ClassLinkIntegrationSetting(Await(senso.GetSettingsAsync(CancellationToken)), senso.Description));
        }
    }

    private static string Show(string? name) => name is null ? "(none)" : "'" + name + "'";
}
