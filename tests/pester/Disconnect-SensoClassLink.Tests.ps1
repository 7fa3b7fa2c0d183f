# Connections belong to a runspace: Disconnect-SensoClassLink closes this runspace's, other runspaces keep theirs,
# and Remove-Module or a closing runspace closes what it leaves behind. "Closed" is checked where a user would see it:
# the SQLite files of the local tenant are no longer open in this process (/proc/<pid>/fd on Linux).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module $env:SENSOCLASSLINK_MODULE -Force

    function New-SiteConfiguration {
        # A deployment of its own (folder, local tenant, state) whose tenant has the sites given.
        param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [string[]] $Site)
        $folder = Join-Path $TestDrive ($Name + '-' + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $folder | Out-Null
        New-TestDistrict -Path (Join-Path $folder 'district') | Out-Null
        $path = Join-Path $folder 'sensoclasslink.yml'
        Set-Content -LiteralPath $path -Value @"
classlink:
  csv:
    path: ./district
senso:
  provider: local
  local:
    path: ./senso-tenant.db
    sites: [$($Site -join ', ')]
state:
  path: ./state.db
"@
        return [pscustomobject]@{ Path = $path; Folder = $folder }
    }

    function Get-OpenFileUnder {
        # The files under $Folder this process has open (Linux), e.g. a tenant database and its WAL.
        param([Parameter(Mandatory)] [string] $Folder)
        @(Get-ChildItem "/proc/$PID/fd" -ErrorAction SilentlyContinue | ForEach-Object { $_.LinkTarget } |
            Where-Object { $_ -and $_.StartsWith($Folder + [System.IO.Path]::DirectorySeparatorChar) })
    }
}

AfterAll {
    # Leave the runspace as the other suites expect it: never connected (re-importing resets it).
    Import-Module $env:SENSOCLASSLINK_MODULE -Force
}

Describe 'Disconnect-SensoClassLink' {
    It 'fails the next command with NotConnected, and does not quietly connect to the configuration it could discover' {
        $world = New-SiteConfiguration -Name 'dc' -Site 'Main'
        Connect-SensoClassLink -ConfigPath $world.Path
        (Get-SensoSite).Name | Should -Contain 'Main'
        Disconnect-SensoClassLink

        $saved = $env:SENSOCLASSLINK_CONFIG
        try {
            # A configuration is discoverable, but a runspace disconnected on purpose stays disconnected.
            $env:SENSOCLASSLINK_CONFIG = $world.Path
            $err = { Get-SensoSite } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'NotConnected,*'
            $err.CategoryInfo.Category | Should -Be 'InvalidOperation'
            $err.Exception.Message | Should -Match 'Disconnect-SensoClassLink.*Connect-SensoClassLink'
            $err.ErrorDetails.RecommendedAction | Should -Match 'Connect-SensoClassLink'
            { Get-ClassLinkTeacher } | Should -Throw -ErrorId 'NotConnected,*'

            Connect-SensoClassLink
            (Get-SensoSite).Name | Should -Contain 'Main'
        }
        finally {
            $env:SENSOCLASSLINK_CONFIG = $saved
        }
    }

    It 'writes the closed connection with -PassThru, and nothing without it or when nothing was open' {
        $world = New-SiteConfiguration -Name 'pt' -Site 'Main'
        Connect-SensoClassLink -ConfigPath $world.Path
        $closed = Disconnect-SensoClassLink -PassThru
        $closed.PSObject.TypeNames[0] | Should -Be 'SensoClassLink.Models.ClassLinkConnectionInfo'
        $closed.ConfigPath | Should -Be $world.Path
        @(Disconnect-SensoClassLink -PassThru) | Should -BeNullOrEmpty -Because 'nothing was open any more'
        Connect-SensoClassLink -ConfigPath $world.Path
        @(Disconnect-SensoClassLink) | Should -BeNullOrEmpty
    }

    It 'closes the SQLite files of the connection' -Skip:(-not $IsLinux) {
        $world = New-SiteConfiguration -Name 'files' -Site 'Main'
        Connect-SensoClassLink -ConfigPath $world.Path
        Get-SensoSite | Out-Null
        @(Get-OpenFileUnder $world.Folder) | Should -Not -BeNullOrEmpty -Because 'the tenant is open while connected'
        Disconnect-SensoClassLink
        @(Get-OpenFileUnder $world.Folder) | Should -BeNullOrEmpty
    }
}

Describe 'Connections per runspace' {
    It 'two runspaces connected to different configurations keep their own connections' {
        $alpha = New-SiteConfiguration -Name 'alpha' -Site 'Main', 'Alpha Campus'
        $beta = New-SiteConfiguration -Name 'beta' -Site 'Main', 'Beta Campus'
        Connect-SensoClassLink -ConfigPath $alpha.Path
        (Get-SensoSite).Name | Should -Contain 'Alpha Campus'

        $runspace = [runspacefactory]::CreateRunspace()
        $runspace.Open()
        $other = [powershell]::Create()
        $other.Runspace = $runspace
        try {
            $null = $other.AddScript({
                param($module, $config)
                Import-Module $module
                Connect-SensoClassLink -ConfigPath $config
                (Get-SensoSite).Name
            }).AddArgument($env:SENSOCLASSLINK_MODULE).AddArgument($beta.Path)
            $sites = @($other.Invoke())
            $other.Streams.Error | Should -BeNullOrEmpty
            $sites | Should -Contain 'Beta Campus'
            $sites | Should -Not -Contain 'Alpha Campus'

            # Connecting there neither replaced nor disposed this runspace's connection.
            (Get-SensoSite).Name | Should -Contain 'Alpha Campus'
            (Get-SensoSite).Name | Should -Not -Contain 'Beta Campus'

            # The other runspace still has its own; disconnecting there leaves this one open.
            $other.Commands.Clear()
            $null = $other.AddScript({ (Get-SensoSite).Name; Disconnect-SensoClassLink })
            @($other.Invoke()) | Should -Contain 'Beta Campus'
            $other.Streams.Error | Should -BeNullOrEmpty
            (Get-SensoSite).Name | Should -Contain 'Alpha Campus'
        }
        finally {
            $other.Dispose()
            $runspace.Dispose()
        }
        Disconnect-SensoClassLink
    }

    It 'ForEach-Object -Parallel blocks connect on their own, and their connections close with their runspaces' -Skip:(-not $IsLinux) {
        $main = New-SiteConfiguration -Name 'main' -Site 'Main', 'Console Campus'
        $worlds = @(
            New-SiteConfiguration -Name 'p1' -Site 'Main', 'First Campus'
            New-SiteConfiguration -Name 'p2' -Site 'Main', 'Second Campus'
        )
        Connect-SensoClassLink -ConfigPath $main.Path
        $module = $env:SENSOCLASSLINK_MODULE
        $seen = $worlds | ForEach-Object -ThrottleLimit 2 -Parallel {
            Import-Module $using:module
            Connect-SensoClassLink -ConfigPath $_.Path
            [pscustomobject]@{ Config = $_.Path; Sites = @((Get-SensoSite).Name) }
        }
        ($seen | Where-Object Config -eq $worlds[0].Path).Sites | Should -Contain 'First Campus'
        ($seen | Where-Object Config -eq $worlds[1].Path).Sites | Should -Contain 'Second Campus'
        (Get-SensoSite).Name | Should -Contain 'Console Campus'
        foreach ($world in $worlds) {
            @(Get-OpenFileUnder $world.Folder) | Should -BeNullOrEmpty -Because 'the parallel runspaces have closed'
        }
        Disconnect-SensoClassLink
    }
}

Describe 'Removing the module' {
    It 'closes the connection of the runspace that removes it, and a new import discovers the configuration again' -Skip:(-not $IsLinux) {
        $world = New-SiteConfiguration -Name 'remove' -Site 'Main'
        Connect-SensoClassLink -ConfigPath $world.Path
        Get-SensoSite | Out-Null
        @(Get-OpenFileUnder $world.Folder) | Should -Not -BeNullOrEmpty
        Disconnect-SensoClassLink
        Connect-SensoClassLink -ConfigPath $world.Path
        Get-SensoSite | Out-Null

        Remove-Module SensoClassLink
        @(Get-OpenFileUnder $world.Folder) | Should -BeNullOrEmpty -Because 'Remove-Module disposes the connection'

        $saved = $env:SENSOCLASSLINK_CONFIG
        try {
            $env:SENSOCLASSLINK_CONFIG = $world.Path
            Import-Module $env:SENSOCLASSLINK_MODULE
            (Get-SensoSite).Name | Should -Contain 'Main' -Because 'a fresh import is as if the runspace never connected'
        }
        finally {
            $env:SENSOCLASSLINK_CONFIG = $saved
        }
        Disconnect-SensoClassLink
    }
}
