# The import and resync end-to-end suites again, with 'senso.provider: api' against the loopback Senso API contract
# server: Import-SensoUser.Tests.ps1 and Sync-SensoUserGroup.Tests.ps1 run in a child pwsh whose SSL_CERT_FILE trusts
# the token endpoint's test certificate (the way a district trusts its own CA), and each of their tests is reported
# here. Certificate validation stays on: without the bundle, signing in fails.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'SensoApiTestServer.psm1') -Force
    $suites = 'Import-SensoUser.Tests.ps1', 'Sync-SensoUserGroup.Tests.ps1'
    # SSL_CERT_FILE is how .NET on Linux (OpenSSL) extends trust per process; Windows and macOS trust only their stores.
    $supported = $IsLinux
    $childTests = @()
    $childRun = @()
    if ($supported) {
        $work = Join-Path ([System.IO.Path]::GetTempPath()) ('scl-senso-api-' + [guid]::NewGuid().ToString('N'))
        try {
            $trust = New-SensoApiTestTrust -Folder $work
            $run = Invoke-PesterWithSensoApi -Path ($suites | ForEach-Object { Join-Path $PSScriptRoot $_ }) -Trust $trust `
                -ResultPath (Join-Path $work 'results.json')
        }
        finally {
            Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
        }
        $childTests = @($run.Tests | ForEach-Object { @{ Container = $_.Container; Name = $_.Name; Result = $_.Result; Message = $_.Message } })
        $childRun = @(@{ Run = $run; Suites = $suites })
    }
}

Describe 'End-to-end suites with senso.provider: api' -Skip:(-not $supported) {
    It '<Container>: <Name>' -ForEach $childTests {
        $Message | Should -BeNullOrEmpty -Because 'the test passed in the child run'
        $Result | Should -Be 'Passed'
    }

    It 'ran every test of both suites against the api provider' -ForEach $childRun {
        foreach ($suite in $Suites) {
            $container = @($Run.Containers | Where-Object Container -eq $suite)
            $container.Count | Should -Be 1 -Because "$suite ran in the child"
            $container[0].Result | Should -Be 'Passed' -Because $container[0].Message
            @($Run.Tests | Where-Object Container -eq $suite).Count | Should -BeGreaterThan 5 -Because "$suite has its tests"
        }
        @($Run.Tests.Name | Where-Object { $_ -notlike '*(api Senso provider)*' }) | Should -BeNullOrEmpty -Because 'every child test used the api provider'
        $Run.ExitCode | Should -Be 0 -Because ($Run.Output -join "`n")
    }
}

Describe 'Trusting the token endpoint' -Skip:(-not $supported) {
    BeforeAll {
        # Without -Force: the helper loaded at discovery has built the server already.
        Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1')
        Import-Module (Join-Path $PSScriptRoot 'SensoApiTestServer.psm1')
    }

    It 'refuses the self-signed certificate when the process does not trust it: a sign-in error naming the cause, not the secret' {
        # A child without SSL_CERT_FILE: certificate validation is on, so MSAL cannot reach the token endpoint.
        $world = Join-Path $TestDrive 'untrusted'
        New-TestDistrict -Path (Join-Path $world 'district') | Out-Null
        $server = Start-SensoApiTestServer -TenantPath (Join-Path $world 'tenant.db') -Certificate $null
        try {
            $config = New-SensoApiTestConfiguration -Folder $world -Server $server
            $saved = $env:SSL_CERT_FILE
            $env:SSL_CERT_FILE = $null
            try {
                $output = Invoke-FreshPwsh -Script @"
Import-Module `$env:SENSOCLASSLINK_MODULE
Connect-SensoClassLink -ConfigPath '$config' | Out-Null
try { Get-SensoRole -ErrorAction Stop; 'SIGNED-IN' } catch { 'ERROR-ID ' + `$_.FullyQualifiedErrorId; 'ERROR ' + `$_.Exception.Message }
"@
            }
            finally {
                $env:SSL_CERT_FILE = $saved
            }
            $text = $output -join "`n"
            $text | Should -Not -Match 'SIGNED-IN'
            $text | Should -Match 'ERROR-ID SensoAuthenticationFailed'
            $text | Should -Match 'token endpoint at https://127\.0\.0\.1:\d+ could not be reached .*UntrustedRoot'
            $text | Should -Not -Match ([regex]::Escape($env:SCL_PESTER_SENSO_CLIENT_SECRET))
        }
        finally {
            Stop-SensoApiTestServer -Server $server
        }
    }
}
