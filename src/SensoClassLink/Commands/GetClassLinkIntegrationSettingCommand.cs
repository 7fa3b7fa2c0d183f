using System.Management.Automation;
using SensoClassLink.Models;

namespace SensoClassLink.Commands;

/// <summary>Shows the ClassLink integration's settings in Senso: Automatically Create Users, Default Role and Default Site.</summary>
[Cmdlet(VerbsCommon.Get, "ClassLinkIntegrationSetting")]
[OutputType(typeof(ClassLinkIntegrationSetting))]
public sealed class GetClassLinkIntegrationSettingCommand : SensoCommandBase
{
    protected override void EndProcessing()
    {
        var senso = Senso;
        WriteObject(new ClassLinkIntegrationSetting(Await(senso.GetSettingsAsync(CancellationToken)), senso.Description));
    }
}
