BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module $env:SENSOCLASSLINK_MODULE -Force
}

Describe 'Connect-SensoClassLink' {
    BeforeEach {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $folder | Out-Null
    }

    It 'connects with a valid file and resolves paths against its folder' {
        New-TestDistrict -Path (Join-Path $folder 'district') | Out-Null
        $config = New-TestConfiguration -Folder $folder
        $info = Connect-SensoClassLink -ConfigPath $config -PassThru
        $info.RosterSource.GetType().FullName | Should -Be 'SensoClassLink.Core.Configuration.RosterSourceKind'
        $info.SensoProvider.GetType().FullName | Should -Be 'SensoClassLink.Core.Configuration.SensoProviderKind'
        Get-PropertyText $info RosterSource | Should -BeExactly 'csv|csv|csv'
        Get-PropertyText $info SensoProvider | Should -BeExactly 'local|local|local'
        $info | Out-String | Should -MatchExactly '(?m)^RosterSource\s+: csv\s*$'
        $info.RosterLocation | Should -Be (Join-Path $folder 'district')
        $info.StatePath | Should -Be (Join-Path $folder 'state.db')
        $info.PSObject.TypeNames[0] | Should -Be 'SensoClassLink.Models.ClassLinkConnectionInfo'
    }

    It 'uses $env:SENSOCLASSLINK_CONFIG when no path is given' {
        New-TestDistrict -Path (Join-Path $folder 'district') | Out-Null
        $config = New-TestConfiguration -Folder $folder
        $saved = $env:SENSOCLASSLINK_CONFIG
        try {
            $env:SENSOCLASSLINK_CONFIG = $config
            (Connect-SensoClassLink -PassThru).ConfigPath | Should -Be $config
        }
        finally { $env:SENSOCLASSLINK_CONFIG = $saved }
    }

    It 'names the unknown key and its line' {
        $path = Join-Path $folder 'bad.yml'
        Set-Content $path "classlink:`n  csv:`n    path: ./d`n  sorce: api`n"
        $err = { Connect-SensoClassLink -ConfigPath $path } | Should -Throw -PassThru
        $err.Exception.Message | Should -Match "line 4.*'classlink\.sorce'"
        $err.Exception.Message | Should -Match 'did you mean'
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidConfiguration*'
    }

    It 'names an unknown group name field with its line and column and lists the fields' {
        $path = Join-Path $folder 'bad.yml'
        Set-Content $path "classlink:`n  csv:`n    path: ./d`nimport:`n  groupName: '{classCode} {titel}'`n"
        $err = { Connect-SensoClassLink -ConfigPath $path } | Should -Throw -PassThru
        $err.Exception.Message | Should -BeLike "*line 5, column 27 'import.groupName'*'{titel}'*did you mean '{title}'*{title}, {classCode}, {school}, {term}, {period}*"
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidConfiguration*'
    }

    It 'names a key with the wrong type' {
        $path = Join-Path $folder 'bad.yml'
        Set-Content $path "classlink:`n  csv:`n    path: ./d`nimport:`n  maxCreatesPerRun: many`n"
        { Connect-SensoClassLink -ConfigPath $path } | Should -Throw -ExpectedMessage "*line 5*'import.maxCreatesPerRun'*whole number*"
    }

    It 'refuses a literal secret and never shows it in any stream' {
        $secret = 'Lit3ral-Secret-' + [guid]::NewGuid().ToString('N')
        $path = Join-Path $folder 'secret.yml'
        Set-Content $path "classlink:`n  source: api`n  api:`n    baseUrl: https://roster.example.com`n    auth:`n      clientId: abc`n      clientSecret: $secret`n"
        $all = & { try { Connect-SensoClassLink -ConfigPath $path -Verbose -Debug } catch { $_ | Format-List * -Force } } *>&1 | Out-String
        $err = { Connect-SensoClassLink -ConfigPath $path } | Should -Throw -PassThru
        $err.Exception.Message | Should -Match "'classlink\.api\.auth\.clientSecret'.*literal secret"
        $all | Should -Not -Match $secret
        ($err | Out-String) | Should -Not -Match $secret
        $err.Exception.Message | Should -Not -Match $secret
    }

    It 'names a missing file' {
        $path = Join-Path $folder 'nope.yml'
        { Connect-SensoClassLink -ConfigPath $path } | Should -Throw -ExpectedMessage "*$path*does not exist*"
    }

    It 'gives line and column for invalid YAML' {
        $path = Join-Path $folder 'broken.yml'
        Set-Content $path "classlink:`n  csv:`n    path: [unclosed`n"
        { Connect-SensoClassLink -ConfigPath $path } | Should -Throw -ExpectedMessage '*line *, column *not valid YAML*'
    }
}
