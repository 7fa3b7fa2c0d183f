using System.Management.Automation;
using SensoClassLink.Models;

namespace SensoClassLink.Commands;

/// <summary>Lists Senso's sites.</summary>
[Cmdlet(VerbsCommon.Get, "SensoSite")]
[OutputType(typeof(SensoSiteInfo))]
public sealed class GetSensoSiteCommand : SensoCommandBase
{
    /// <summary>Only sites whose name matches (wildcards, case-insensitive).</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override void EndProcessing()
    {
        var sites = Await(Senso.GetSitesAsync(CancellationToken));
        foreach (var site in NameFilter.Apply(this, Name, sites, s => s.Name, "site"))
        {
            WriteObject(new SensoSiteInfo(site.Id, site.Name));
        }
    }
}
