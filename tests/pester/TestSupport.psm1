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

function Invoke-TestBrowser {
    <#
        Opens an HTML file in headless Chromium (Find-TestBrowser) with a new empty profile, no network services and
        no GPU, and returns the serialized DOM (-DumpDom) or writes a PNG screenshot (-Screenshot), with the
        browser's log (console messages, including Content-Security-Policy violations). Killed after -TimeoutSeconds.
    #>
    param(
        [Parameter(Mandatory)] [string] $Browser,
        [Parameter(Mandatory)] [string] $Path,
        [string] $Screenshot,
        [switch] $DumpDom,
        [string] $WindowSize = '1280,1400',
        [int] $TimeoutSeconds = 90
    )
    $work = Join-Path ([System.IO.Path]::GetTempPath()) ("scl-browser-" + [guid]::NewGuid().ToString('N'))
    $profileFolder = New-Item -ItemType Directory -Path (Join-Path $work 'profile') -Force
    $stdout = Join-Path $work 'stdout.txt'
    $stderr = Join-Path $work 'stderr.txt'
    $arguments = @('--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', "--user-data-dir=$($profileFolder.FullName)", '--enable-logging=stderr', '--v=0',
        "--window-size=$WindowSize", '--hide-scrollbars')
    if ($Screenshot) { $arguments += "--screenshot=$Screenshot" }
    if ($DumpDom) { $arguments += '--dump-dom' }
    $arguments += [System.Uri]::new((Resolve-Path -LiteralPath $Path).ProviderPath).AbsoluteUri
    try {
        $process = Start-Process -FilePath $Browser -ArgumentList $arguments -PassThru -NoNewWindow -RedirectStandardOutput $stdout -RedirectStandardError $stderr
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill($true)
            throw "The browser '$Browser' did not finish within $TimeoutSeconds s."
        }
        [pscustomobject]@{
            ExitCode = $process.ExitCode
            Dom      = if (Test-Path $stdout) { Get-Content -Raw -LiteralPath $stdout } else { '' }
            Log      = if (Test-Path $stderr) { Get-Content -Raw -LiteralPath $stderr } else { '' }
        }
    }
    finally {
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
    }
}

function Measure-PngImage {
    <#
        Decodes an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes) and returns its size, how many distinct
        colours it has, and the share of pixels that differ from the top-left one: enough to tell a rendered page
        from a blank one without an imaging library.
    #>
    param([Parameter(Mandatory)] [string] $Path)
    if (-not ('SensoClassLinkTests.PngMeasure' -as [type])) {
        Add-Type -TypeDefinition @'
using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;

namespace SensoClassLinkTests
{
    public static class PngMeasure
    {
        public static object[] Measure(string path)
        {
            byte[] file = File.ReadAllBytes(path);
            if (file.Length < 8 || file[0] != 0x89 || file[1] != (byte)'P') throw new InvalidDataException(path + " is not a PNG file.");
            int width = 0, height = 0, channels = 0;
            var idat = new MemoryStream();
            for (int at = 8; at + 8 <= file.Length;)
            {
                int length = (file[at] << 24) | (file[at + 1] << 16) | (file[at + 2] << 8) | file[at + 3];
                string type = System.Text.Encoding.ASCII.GetString(file, at + 4, 4);
                if (type == "IHDR")
                {
                    width = (file[at + 8] << 24) | (file[at + 9] << 16) | (file[at + 10] << 8) | file[at + 11];
                    height = (file[at + 12] << 24) | (file[at + 13] << 16) | (file[at + 14] << 8) | file[at + 15];
                    if (file[at + 16] != 8 || file[at + 20] != 0) throw new InvalidDataException("Only 8-bit non-interlaced PNG files are measured.");
                    channels = file[at + 17] == 6 ? 4 : file[at + 17] == 2 ? 3 : throw new InvalidDataException("Only RGB and RGBA PNG files are measured.");
                }
                else if (type == "IDAT") idat.Write(file, at + 8, length);
                at += 12 + length;
            }
            idat.Position = 0;
            var raw = new MemoryStream();
            using (var z = new ZLibStream(idat, CompressionMode.Decompress)) z.CopyTo(raw);
            byte[] data = raw.ToArray();
            int stride = width * channels;
            var previous = new byte[stride];
            var line = new byte[stride];
            var colours = new HashSet<int>();
            long differing = 0;
            int first = -1;
            for (int y = 0; y < height; y++)
            {
                int offset = y * (stride + 1);
                byte filter = data[offset];
                for (int x = 0; x < stride; x++)
                {
                    int a = x >= channels ? line[x - channels] : 0, b = previous[x], c = x >= channels ? previous[x - channels] : 0;
                    int value = data[offset + 1 + x];
                    switch (filter)
                    {
                        case 1: value += a; break;
                        case 2: value += b; break;
                        case 3: value += (a + b) / 2; break;
                        case 4:
                            int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                            value += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                            break;
                    }
                    line[x] = (byte)value;
                }
                for (int x = 0; x < stride; x += channels)
                {
                    int colour = (line[x] << 16) | (line[x + 1] << 8) | line[x + 2];
                    if (first < 0) first = colour;
                    if (colour != first) differing++;
                    colours.Add(colour);
                }
                var swap = previous; previous = line; line = swap;
            }
            return new object[] { width, height, colours.Count, (double)differing / ((long)width * height) };
        }
    }
}
'@
    }
    $m = [SensoClassLinkTests.PngMeasure]::Measure((Resolve-Path -LiteralPath $Path).ProviderPath)
    [pscustomobject]@{ Width = $m[0]; Height = $m[1]; Colours = $m[2]; DifferingShare = $m[3] }
}

function New-CoreObject {
    # Engine types live in the module's private load context, out of reach of type literals: find them by assembly.
    param([string] $TypeName, [object[]] $ArgumentList = @(), [hashtable] $Property = @{})
    $assembly = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'SensoClassLink.Core' } | Select-Object -First 1
    $type = $assembly.GetType($TypeName, $true)
    $constructor = $type.GetConstructors() | Where-Object { $_.GetParameters().Count -eq $ArgumentList.Count } | Select-Object -First 1
    $arguments = [object[]]::new($ArgumentList.Count)
    for ($i = 0; $i -lt $ArgumentList.Count; $i++) { $arguments[$i] = $ArgumentList[$i].psobject.BaseObject }
    $object = $constructor.Invoke($arguments)
    foreach ($key in $Property.Keys) { $object.$key = $Property[$key] }
    return $object
}

function Get-PropertyText {
    <#
        The words a user gets for one property of an output object, joined by '|': as the views and Out-String print it
        (its ToString), as Export-Csv writes it, and as ConvertTo-Json -EnumsAsStrings writes it. An enum property must
        keep the exact words (case included) its string predecessor had.
    #>
    param([Parameter(Mandatory)] $InputObject, [Parameter(Mandatory)] [string] $Property)
    $csv = ($InputObject | Select-Object -Property $Property | ConvertTo-Csv | ConvertFrom-Csv).$Property
    $json = ($InputObject | Select-Object -Property $Property | ConvertTo-Json -EnumsAsStrings -Compress | ConvertFrom-Json).$Property
    return ([string] $InputObject.$Property, $csv, $json) -join '|'
}

Export-ModuleMember -Function Get-PwshCommandLine, Invoke-FreshPwsh, Get-NuGetPackageFolder, New-TestDistrict, New-TestConfiguration, Find-TestBrowser, Invoke-TestBrowser, Measure-PngImage, New-CoreObject, Get-PropertyText
