using System.Management.Automation;
using SensoClassLink.Models;

namespace SensoClassLink.Commands;

/// <summary>Lists the ClassLink class groups in Senso, all of them or those a teacher owns.</summary>
[Cmdlet(VerbsCommon.Get, "SensoGroup")]
[OutputType(typeof(SensoGroupInfo))]
public sealed class GetSensoGroupCommand : SensoCommandBase
{
    /// <summary>Only groups this teacher (email) owns. Binds by property name from Email (Get-SensoUser, Get-ClassLinkTeacher).</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Email")]
    [ValidateNotNullOrEmpty]
    public string[]? Owner { get; set; }

    protected override void ProcessRecord()
    {
        if (Owner is null)
        {
            foreach (var group in Await(Senso.GetGroupsAsync(null, CancellationToken)))
            {
                WriteObject(new SensoGroupInfo(group));
            }
            return;
        }
        foreach (string owner in Owner)
        {
            foreach (var group in Await(Senso.GetGroupsAsync(owner, CancellationToken)))
            {
                WriteObject(new SensoGroupInfo(group));
            }
        }
    }
}
