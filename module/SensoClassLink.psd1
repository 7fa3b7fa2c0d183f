@{
    RootModule           = 'SensoClassLink.psm1'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Desktop', 'Core')
    GUID                 = '5b0f7d0e-2a8e-4b7e-9d3c-6a1c2f5e8b41'
    Author               = 'SensoClassLink'
    CompanyName          = 'SensoClassLink'
    Copyright            = '(c) SensoClassLink. MIT License.'
    Description          = 'Brings teachers from the ClassLink Roster Server (OneRoster REST or CSV) into Senso: list eligible teachers, import them with a role and site, resync their class groups, and run the scheduled data sync.'
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('SensoClassLink.Format.ps1xml')
    FunctionsToExport    = @()
    CmdletsToExport      = @(
        'Connect-SensoClassLink'
        'Export-ClassLinkSyncReport'
        'New-SensoClassLinkConfiguration'
        'Disconnect-SensoClassLink'
        'Get-ClassLinkIntegrationSetting'
        'Get-ClassLinkIntegrationStatistic'
        'Get-ClassLinkSyncRun'
        'Get-ClassLinkTeacher'
        'Get-SensoGroupSyncJob'
        'Import-SensoUser'
        'Invoke-ClassLinkSync'
        'Set-ClassLinkIntegrationSetting'
        'Sync-SensoUserGroup'
        'Test-ClassLinkConnection'
        'Get-SensoRole'
        'Get-SensoSite'
        'Get-SensoUser'
        'Get-SensoGroup'
    )
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('ClassLink', 'OneRoster', 'Senso', 'Rostering', 'Education', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = 'See README.md.'
        }
    }
}
