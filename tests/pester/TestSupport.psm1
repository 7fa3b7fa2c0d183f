# Shared helpers for the Pester suites: fresh processes, test districts and configuration files.

# Get-PwshCommandLine (the pwsh running the tests) is the build's own, so tests start processes as the build does.
. (Join-Path $PSScriptRoot '../../build/BuildTools.ps1')

function Invoke-FreshPwsh {
    <#
        Runs a script block's text in a new 'pwsh -NoProfile' process with the built module's path in
        $env:SENSOCLASSLINK_MODULE, and returns its output lines (stdout and stderr merged).
    #>
    param([Parameter(Mandatory)] [string] $Script)
    $commandLine = @(Get-PwshCommandLine)
    $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($Script))
    $executable = $commandLine[0]
    $prefix = @($commandLine | Select-Object -Skip 1)
    $output = & $executable @prefix -NoProfile -NonInteractive -EncodedCommand $encoded 2>&1
    $global:FreshPwshExitCode = $LASTEXITCODE
    return @($output | ForEach-Object { "$_" })
}

function Get-NuGetPackageFolder {
    $line = & dotnet nuget locals global-packages --list
    return ($line -replace '^global-packages:\s*', '').Trim()
}

function New-TestDistrict {
    <#
        Writes a small OneRoster 1.1 CSV district into $Path: two schools, three teachers (one co-teaching,
        one in two schools), students and enrollments. Returns the folder.
    #>
    param([Parameter(Mandatory)] [string] $Path)
    New-Item -ItemType Directory -Path $Path -Force | Out-Null
    Set-Content -LiteralPath (Join-Path $Path 'manifest.csv') -Value @(
        'propertyName,value', 'manifest.version,1.0', 'oneroster.version,1.1', 'file.orgs,bulk', 'file.users,bulk',
        'file.classes,bulk', 'file.enrollments,bulk', 'file.academicSessions,absent', 'file.courses,absent')
    Set-Content -LiteralPath (Join-Path $Path 'orgs.csv') -Value @(
        'sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId',
        'org-d,,,Test District,district,,',
        'sch-1,,,Lincoln High,school,,org-d',
        'sch-2,,,North Middle,school,,org-d')
    Set-Content -LiteralPath (Join-Path $Path 'users.csv') -Value @(
        'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password',
        't-1,,,true,sch-1,teacher,jane,,Jane,Doe,,,Jane.Doe@district.example,,,,,',
        't-2,,,true,"sch-1,sch-2",teacher,omar,,Omar,Haddad,,,omar.haddad@district.example,,,,,',
        't-3,,,true,sch-2,teacher,lee,,Lee,Park,,,lee.park@district.example,,,,,',
        's-1,,,true,sch-1,student,s1,,Ana,Lima,,,ana.lima@students.example,,,,,',
        's-2,,,true,sch-1,student,s2,,Ben,Ode,,,ben.ode@students.example,,,,,',
        's-3,,,true,sch-2,student,s3,,Cy,Ng,,,,,,,,')
    Set-Content -LiteralPath (Join-Path $Path 'classes.csv') -Value @(
        'sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods',
        'c-1,,,Algebra I,,,ALG1,scheduled,,sch-1,,,,',
        'c-2,,,Biology,,,BIO,scheduled,,sch-2,,,,',
        'c-3,,,Empty Study Hall,,,SH,scheduled,,sch-2,,,,')
    Set-Content -LiteralPath (Join-Path $Path 'enrollments.csv') -Value @(
        'sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate',
        'e-1,,,c-1,sch-1,t-1,teacher,true,,',
        'e-2,,,c-1,sch-1,t-2,teacher,false,,',
        'e-3,,,c-1,sch-1,s-1,student,,,',
        'e-4,,,c-1,sch-1,s-2,student,,,',
        'e-5,,,c-2,sch-2,t-2,teacher,true,,',
        'e-6,,,c-2,sch-2,s-3,student,,,',
        'e-7,,,c-3,sch-2,t-3,teacher,true,,')
    return $Path
}

function New-TestConfiguration {
    <#
        Writes a configuration for a test district and returns its path; extra YAML is appended as given.
        -ClassLinkYaml replaces the CSV roster block (e.g. Get-RestRosterYaml for the REST test server).
    #>
    param([Parameter(Mandatory)] [string] $Folder, [string] $DistrictPath = './district', [string] $Extra = '', [string] $ClassLinkYaml = '')
    if (-not $ClassLinkYaml) { $ClassLinkYaml = "  source: csv`n  csv:`n    path: $DistrictPath" }
    $path = Join-Path $Folder 'sensoclasslink.yml'
    Set-Content -LiteralPath $path -Value @"
classlink:
$ClassLinkYaml
senso:
  provider: local
  local:
    path: ./senso-tenant.db
    roles: [Teacher, Administrator]
    sites: [Main, North Campus]
state:
  path: ./state.db
$Extra
"@
    return $path
}

Export-ModuleMember -Function Get-PwshCommandLine, Invoke-FreshPwsh, Get-NuGetPackageFolder, New-TestDistrict, New-TestConfiguration
