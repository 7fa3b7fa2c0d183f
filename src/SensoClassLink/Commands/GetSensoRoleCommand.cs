using System.Linq;
using System.Management.Automation;
using SensoClassLink.Models;

namespace SensoClassLink.Commands;

/// <summary>Lists the roles Senso users can be given.</summary>
[Cmdlet(VerbsCommon.Get, "SensoRole")]
[OutputType(typeof(SensoRoleInfo))]
public sealed class GetSensoRoleCommand : SensoCommandBase
{
    /// <summary>Only roles whose name matches (wildcards, case-insensitive).</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override void EndProcessing()
    {
        var roles = Await(Senso.GetRolesAsync(CancellationToken));
        foreach (var role in NameFilter.Apply(this, Name, roles, r => r.Name, "role"))
        {
            WriteObject(new SensoRoleInfo(role.Id, role.Name));
        }
    }
}
