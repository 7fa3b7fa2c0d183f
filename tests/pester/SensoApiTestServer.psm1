# Starts the loopback Senso API contract server (tests/SensoClassLink.SensoApiTestServer) as a process for Pester,
# and writes configurations with 'senso.provider: api' that sign in to its Entra-shaped token endpoint.
#
# The token endpoint is https with a self-signed certificate. The module trusts it the way production trusts any
# certificate: through the platform trust store. On Linux .NET reads SSL_CERT_FILE when a process starts, so the API
# runs happen in a child pwsh started with SSL_CERT_FILE pointing at a bundle of the system roots plus one fixed test
# certificate (New-SensoApiTestTrust); every server that process starts serves that same certificate.

Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1')

$script:ProjectFolder = Join-Path $PSScriptRoot '../SensoClassLink.SensoApiTestServer'
$script:Servers = [System.Collections.Generic.List[object]]::new()

# The environment variables a child process reads: the provider to test, and the certificate every server serves.
$script:ProviderVariable = 'SENSOCLASSLINK_TEST_SENSO_PROVIDER'
$script:CertificateVariable = 'SENSOCLASSLINK_TEST_SENSO_CERTIFICATE'
# The built server dll (so a child does not build again) and a folder for the tenants of pre-started servers.
$script:ServerVariable = 'SENSOCLASSLINK_TEST_SENSO_SERVER'
$script:WorkVariable = 'SENSOCLASSLINK_TEST_SENSO_WORK'
# The client secret each server prints; configurations reference it as env:, so it is never written to a file.
$script:SecretVariable = 'SCL_PESTER_SENSO_CLIENT_SECRET'

function Get-SensoApiTestServerPath {
    # Builds the server once per session (incremental) and returns its dll; a child process reuses its parent's build.
    $built = [System.Environment]::GetEnvironmentVariable($script:ServerVariable)
    if ($built) { return $built }
    $dll = Join-Path $script:ProjectFolder 'bin/Release/net10.0/SensoClassLink.SensoApiTestServer.dll'
    if (-not $script:Built) {
        & dotnet build (Join-Path $script:ProjectFolder 'SensoClassLink.SensoApiTestServer.csproj') -c Release --nologo -v quiet | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "Building the Senso API test server failed (exit code $LASTEXITCODE)." }
        $script:Built = $true
    }
    return $dll
}

function Get-TestSensoProvider {
    # The Senso provider the end-to-end suites run against in this process: 'local' unless a parent asked for 'api'.
    $provider = [System.Environment]::GetEnvironmentVariable($script:ProviderVariable)
    if ($provider) { return $provider }
    return 'local'
}

function New-SensoApiTestTrust {
    <#
        Creates a self-signed certificate for 127.0.0.1 in $Folder (a PFX without password for the servers, its PEM)
        and a trust bundle: the system roots plus that PEM. Returns Certificate (pfx path), Pem and Bundle paths.
    #>
    param([Parameter(Mandatory)] [string] $Folder)
    New-Item -ItemType Directory -Path $Folder -Force | Out-Null
    $rsa = [System.Security.Cryptography.RSA]::Create(2048)
    try {
        $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new(
            'CN=127.0.0.1', $rsa, [System.Security.Cryptography.HashAlgorithmName]::SHA256,
            [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
        $names = [System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
        $names.AddIpAddress([System.Net.IPAddress]::Loopback)
        $names.AddDnsName('localhost')
        $request.CertificateExtensions.Add($names.Build())
        $usage = [System.Security.Cryptography.OidCollection]::new()
        $usage.Add([System.Security.Cryptography.Oid]::new('1.3.6.1.5.5.7.3.1')) | Out-Null
        $request.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension]::new($usage, $false))
        $certificate = $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddMinutes(-5), [DateTimeOffset]::UtcNow.AddDays(1))
    }
    finally {
        $rsa.Dispose()
    }
    try {
        $pfx = Join-Path $Folder 'senso-api-test.pfx'
        $pem = Join-Path $Folder 'senso-api-test.pem'
        $bundle = Join-Path $Folder 'trust-bundle.pem'
        [System.IO.File]::WriteAllBytes($pfx, $certificate.Export([System.Security.Cryptography.X509Certificates.X509ContentType]::Pfx))
        Set-Content -LiteralPath $pem -Value $certificate.ExportCertificatePem()
        $system = '/etc/ssl/certs/ca-certificates.crt'
        $roots = if (Test-Path -LiteralPath $system) { Get-Content -LiteralPath $system -Raw } else { '' }
        Set-Content -LiteralPath $bundle -Value ($roots.TrimEnd() + "`n" + $certificate.ExportCertificatePem())
    }
    finally {
        $certificate.Dispose()
    }
    return [pscustomobject]@{ Certificate = $pfx; Pem = $pem; Bundle = $bundle }
}

function Start-SensoApiTestServer {
    <#
        Starts the contract server on free loopback ports over a tenant file and returns ApiBaseUrl, Authority,
        ClientId and Process; puts its client secret into $env:SCL_PESTER_SENSO_CLIENT_SECRET. The server serves the
        certificate in $env:SENSOCLASSLINK_TEST_SENSO_CERTIFICATE (or -Certificate). Stop it with
        Stop-SensoApiTestServer; it also exits when this process ends (its stdin closes) or after -LifetimeSeconds.
    #>
    param(
        [Parameter(Mandatory)] [string] $TenantPath,
        [string] $Certificate = [System.Environment]::GetEnvironmentVariable($script:CertificateVariable),
        [string[]] $Site = @('Main', 'North Campus'),
        [int] $LifetimeSeconds = 300
    )
    return Receive-SensoApiTestServer (Start-SensoApiTestServerProcess @PSBoundParameters)
}

function Get-FreshSensoApiTestServer {
    <#
        Start-SensoApiTestServer over a new empty tenant, with the default certificate and sites, but quicker: it takes a
        server started by the previous call and starts the next one, so a server boots while a test runs.
    #>
    $next = Start-SensoApiTestServerProcess -TenantPath (New-PooledTenantPath)
    $process = if ($script:Spare) { $script:Spare } else { Start-SensoApiTestServerProcess -TenantPath (New-PooledTenantPath) }
    $script:Spare = $next
    return Receive-SensoApiTestServer $process
}

function New-PooledTenantPath {
    $folder = [System.Environment]::GetEnvironmentVariable($script:WorkVariable)
    if (-not $folder) { $folder = Join-Path ([System.IO.Path]::GetTempPath()) "scl-senso-api-$PID" }
    New-Item -ItemType Directory -Path $folder -Force | Out-Null
    return Join-Path $folder ("tenant-" + [guid]::NewGuid().ToString('N') + '.db')
}

function Start-SensoApiTestServerProcess {
    param(
        [Parameter(Mandatory)] [string] $TenantPath,
        [string] $Certificate = [System.Environment]::GetEnvironmentVariable($script:CertificateVariable),
        [string[]] $Site = @('Main', 'North Campus'),
        [int] $LifetimeSeconds = 300
    )
    $arguments = @((Get-SensoApiTestServerPath), '--tenant', $TenantPath, '--port', '0', '--lifetime-seconds', "$LifetimeSeconds",
        '--sites', ($Site -join ','))
    if ($Certificate) { $arguments += @('--certificate', $Certificate) }
    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in $arguments) { $start.ArgumentList.Add($a) }
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.UseShellExecute = $false
    return [System.Diagnostics.Process]::Start($start)
}

function Receive-SensoApiTestServer {
    # Reads the started server's first line: "api=<url> authority=<url> clientId=<id> clientSecret=<secret>".
    param([Parameter(Mandatory)] [System.Diagnostics.Process] $Process)
    $read = $Process.StandardOutput.ReadLineAsync()
    if (-not $read.Wait([TimeSpan]::FromSeconds(60)) -or -not $read.Result) {
        if (-not $Process.HasExited) { $Process.Kill() }
        throw 'The Senso API test server did not print its URLs.'
    }
    $fields = @{}
    foreach ($pair in $read.Result.Trim() -split ' ') {
        $name, $value = $pair -split '=', 2
        $fields[$name] = $value
    }
    [System.Environment]::SetEnvironmentVariable($script:SecretVariable, $fields['clientSecret'])
    $server = [pscustomobject]@{
        ApiBaseUrl = $fields['api']
        Authority = $fields['authority']
        ClientId = $fields['clientId']
        Process = $Process
    }
    $script:Servers.Add($server)
    return $server
}

function Stop-SensoApiTestServer {
    # Stops one server, or with -All every server this session started.
    [CmdletBinding(DefaultParameterSetName = 'One')]
    param([Parameter(Mandatory, ParameterSetName = 'One')] $Server, [Parameter(Mandatory, ParameterSetName = 'All')] [switch] $All)
    $stopping = if ($All) { @($script:Servers) } else { @($Server) }
    foreach ($s in $stopping) {
        if (-not $s.Process.HasExited) {
            $s.Process.StandardInput.Close()
            if (-not $s.Process.WaitForExit(10000)) { $s.Process.Kill() }
        }
        $s.Process.Dispose()
        $script:Servers.Remove($s) | Out-Null
    }
}

function New-SensoApiTestConfiguration {
    # Writes a configuration for a CSV district and the given contract server (senso.provider: api); returns its path.
    # -ApiExtra adds keys to senso.api, one 'key: value' per line (e.g. "maxConcurrency: 3").
    param(
        [Parameter(Mandatory)] [string] $Folder,
        [Parameter(Mandatory)] $Server,
        [string] $DistrictPath = './district',
        [string[]] $ApiExtra = @()
    )
    $extra = ($ApiExtra | ForEach-Object { "`n    $_" }) -join ''
    $path = Join-Path $Folder 'sensoclasslink.yml'
    Set-Content -LiteralPath $path -Value @"
classlink:
  source: csv
  csv:
    path: $DistrictPath
senso:
  provider: api
  api:
    baseUrl: $($Server.ApiBaseUrl)
    authority: $($Server.Authority)
    clientId: $($Server.ClientId)
    scopes: [api://senso-test/.default]
    clientSecret: env:$($script:SecretVariable)$extra
state:
  path: ./state.db
"@
    return $path
}

function New-ProviderTestConfiguration {
    <#
        The end-to-end suites' configuration for -Provider: 'local' writes New-TestConfiguration's local tenant;
        'api' takes a contract server over a fresh tenant (Get-FreshSensoApiTestServer) and points senso.api at it.
    #>
    param([Parameter(Mandatory)] [string] $Folder, [Parameter(Mandatory)] [ValidateSet('local', 'api')] [string] $Provider)
    if ($Provider -eq 'local') {
        return New-TestConfiguration -Folder $Folder
    }
    return New-SensoApiTestConfiguration -Folder $Folder -Server (Get-FreshSensoApiTestServer)
}

function Invoke-PesterWithSensoApi {
    <#
        Runs Pester test files in a child pwsh whose SSL_CERT_FILE is -Trust's bundle, with the API provider selected,
        and returns one object per test (Container, Name, Result, Message) plus the child's exit code and raw output.
    #>
    param(
        [Parameter(Mandatory)] [string[]] $Path,
        [Parameter(Mandatory)] $Trust,
        [Parameter(Mandatory)] [string] $ResultPath
    )
    $pester = (Get-Module Pester).Path
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$($pester -replace "'", "''")' -Force
`$configuration = New-PesterConfiguration
`$configuration.Run.Path = @($(($Path | ForEach-Object { "'" + ($_ -replace "'", "''") + "'" }) -join ', '))
`$configuration.Run.PassThru = `$true
`$configuration.Output.Verbosity = 'None'
`$run = Invoke-Pester -Configuration `$configuration
`$tests = foreach (`$t in `$run.Tests) {
    [ordered]@{
        Container = [System.IO.Path]::GetFileName(`$t.Block.BlockContainer.Item)
        Name = `$t.ExpandedPath
        Result = `$t.Result
        Message = if (`$t.ErrorRecord) { (`$t.ErrorRecord | ForEach-Object { `$_.Exception.Message }) -join [Environment]::NewLine } else { '' }
    }
}
`$containers = foreach (`$c in `$run.Containers) {
    [ordered]@{ Container = [System.IO.Path]::GetFileName(`$c.Item); Result = `$c.Result; Message = (`$c.ErrorRecord | ForEach-Object { `$_.Exception.Message }) -join [Environment]::NewLine }
}
ConvertTo-Json -Depth 4 -InputObject ([ordered]@{ Tests = @(`$tests); Containers = @(`$containers) }) | Set-Content -LiteralPath '$($ResultPath -replace "'", "''")'
"@
    $saved = @{}
    $variables = @{
        SSL_CERT_FILE = $Trust.Bundle
        $script:ProviderVariable = 'api'
        $script:CertificateVariable = $Trust.Certificate
        $script:ServerVariable = Get-SensoApiTestServerPath
        $script:WorkVariable = Split-Path -Parent $Trust.Certificate
    }
    foreach ($name in $variables.Keys) {
        $saved[$name] = [System.Environment]::GetEnvironmentVariable($name)
        [System.Environment]::SetEnvironmentVariable($name, $variables[$name])
    }
    try {
        $output = Invoke-FreshPwsh -Script $script
    }
    finally {
        foreach ($name in $saved.Keys) { [System.Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
    $exitCode = $global:FreshPwshExitCode
    if (-not (Test-Path -LiteralPath $ResultPath)) {
        throw "The child Pester run wrote no results (exit code $exitCode):`n$($output -join "`n")"
    }
    $result = Get-Content -LiteralPath $ResultPath -Raw | ConvertFrom-Json
    return [pscustomobject]@{ Tests = @($result.Tests); Containers = @($result.Containers); ExitCode = $exitCode; Output = $output }
}

function Invoke-SensoApiTestControl {
    <#
        Calls a test-only control endpoint of a running contract server (see SensoApiServer.MapTestControl), e.g.
        -Method Get -Path in-flight, or -Method Put -Path latency/200 (-Body: a JSON body); returns the parsed JSON answer.
    #>
    param([Parameter(Mandatory)] $Server, [Parameter(Mandatory)] [string] $Path, [string] $Method = 'Get', [hashtable] $Body)
    $root = $Server.ApiBaseUrl -replace 'api/?$', ''
    if ($Body) {
        return Invoke-RestMethod -Method $Method -Uri ($root + 'test/' + $Path) -ContentType 'application/json' -Body ($Body | ConvertTo-Json -Compress)
    }
    return Invoke-RestMethod -Method $Method -Uri ($root + 'test/' + $Path)
}

Export-ModuleMember -Function Invoke-SensoApiTestControl, Get-SensoApiTestServerPath, Get-TestSensoProvider, New-SensoApiTestTrust, Start-SensoApiTestServer, Get-FreshSensoApiTestServer,
    Stop-SensoApiTestServer, New-SensoApiTestConfiguration, New-ProviderTestConfiguration, Invoke-PesterWithSensoApi
