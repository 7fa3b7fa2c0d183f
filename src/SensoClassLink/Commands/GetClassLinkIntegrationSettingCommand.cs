using System.Management.Automation;
using SensoClassLink.Models;

namespace SensoClassLink.Commands;

/// <summary>Shows the ClassLink integration's settings in Senso: Automatically Create Users, Default Role and Default Site.</summary>
[Cmdlet(VerbsCommon.Get, "ClassLinkIntegrationSetting")]
[OutputType(typeof(ClassLinkIntegrationSetting))]
public sealed class GetClassLinkIntegrationSettingCommand : SensoClassLinkCmdlet
{
    protected override void EndProcessing()
    {
        var senso = Connection.Senso;
        WriteObject(new ClassLinkIntegrationSetting(Await(senso.GetSettingsAsync(CancellationToken)), senso.Description));
    }
}
