# Starts the loopback OneRoster test server (tests/SensoClassLink.OneRosterTestServer) as a process for Pester.

$script:ProjectFolder = Join-Path $PSScriptRoot '../SensoClassLink.OneRosterTestServer'

function Get-OneRosterTestServerPath {
    # Builds the server once per process (incremental) and returns its dll. The flag lives in the environment
    # because every test file re-imports this module, which would reset a script variable.
    $dll = Join-Path $script:ProjectFolder 'bin/Release/net10.0/SensoClassLink.OneRosterTestServer.dll'
    if ($env:SCL_ONEROSTER_SERVER_BUILT -ne $dll) {
        & dotnet build (Join-Path $script:ProjectFolder 'SensoClassLink.OneRosterTestServer.csproj') -c Release --nologo -v quiet | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "Building the OneRoster test server failed (exit code $LASTEXITCODE)." }
        $env:SCL_ONEROSTER_SERVER_BUILT = $dll
    }
    return $dll
}

function Start-OneRosterTestServer {
    <#
        Starts the server on a free loopback port over a CSV folder and returns an object with Url and
        Process. Stop it with Stop-OneRosterTestServer (closing stdin); it also exits by itself after
        -LifetimeSeconds.
    #>
    param(
        [Parameter(Mandatory)] [string] $DataFolder,
        [string[]] $Argument = @(),
        [int] $LifetimeSeconds = 300
    )
    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in @((Get-OneRosterTestServerPath), '--data', $DataFolder, '--port', '0', '--lifetime-seconds', "$LifetimeSeconds") + $Argument) {
        $start.ArgumentList.Add($a)
    }
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)
    $read = $process.StandardOutput.ReadLineAsync()
    if (-not $read.Wait([TimeSpan]::FromSeconds(60)) -or -not $read.Result) {
        if (-not $process.HasExited) { $process.Kill() }
        throw 'The OneRoster test server did not print its URL.'
    }
    return [pscustomobject]@{ Url = $read.Result.Trim(); Process = $process }
}

function Get-OneRosterTestServerRequest {
    <# The request paths the server has served so far (the server's own count, read over loopback). #>
    param([Parameter(Mandatory)] $Server)
    $root = [Uri]::new([Uri]$Server.Url, '/_test/paths')
    [string[]] $paths = Invoke-RestMethod -Uri $root -NoProxy
    return $paths
}

function Stop-OneRosterTestServer {
    param([Parameter(Mandatory)] $Server)
    $Server.Process.StandardInput.Close()
    if (-not $Server.Process.WaitForExit(10000)) { $Server.Process.Kill() }
    $Server.Process.Dispose()
}

function Get-RestRosterYaml {
    # The body of a 'classlink:' block (two-space indent) that reads the test server over REST.
    param(
        [Parameter(Mandatory)] [string] $BaseUrl,
        [string] $Version = '1.1',
        [string] $Auth = "method: oauth1`n      clientId: test-consumer`n      clientSecret: env:SCL_PESTER_OAUTH1_SECRET",
        [int] $PageSize = 7
    )
    return @"
  source: api
  api:
    baseUrl: $BaseUrl
    version: "$Version"
    pageSize: $PageSize
    maxConcurrency: 3
    maxRetries: 1
    timeoutSeconds: 10
    auth:
      $Auth
"@
}

function New-RestTestConfiguration {
    # Writes a configuration for the test server and returns its path.
    param(
        [Parameter(Mandatory)] [string] $Folder,
        [Parameter(Mandatory)] [string] $BaseUrl,
        [string] $Version = '1.1',
        [string] $Auth = "method: oauth1`n      clientId: test-consumer`n      clientSecret: env:SCL_PESTER_OAUTH1_SECRET"
    )
    $path = Join-Path $Folder 'sensoclasslink-rest.yml'
    $classLink = Get-RestRosterYaml -BaseUrl $BaseUrl -Version $Version -Auth $Auth
    Set-Content -LiteralPath $path -Value @"
classlink:
$classLink
senso:
  provider: local
  local:
    path: ./senso-tenant.db
state:
  path: ./state.db
"@
    return $path
}

Export-ModuleMember -Function Get-OneRosterTestServerPath, Start-OneRosterTestServer, Stop-OneRosterTestServer, Get-OneRosterTestServerRequest, Get-RestRosterYaml, New-RestTestConfiguration
