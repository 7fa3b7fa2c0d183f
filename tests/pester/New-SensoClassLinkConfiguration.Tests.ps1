BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'OneRosterTestServer.psm1') -Force
    Import-Module $env:SENSOCLASSLINK_MODULE -Force

    $script:exampleDistrict = (Resolve-Path (Join-Path $PSScriptRoot '../../examples/district')).Path
    $script:restDistrict = (Resolve-Path (Join-Path $PSScriptRoot '../data/rest-district')).Path
    $env:SCL_PESTER_OAUTH1_SECRET = 'pester-consumer-secret/+&'
}

Describe 'New-SensoClassLinkConfiguration' {
    BeforeEach {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $folder | Out-Null
    }

    It 'writes a commented file that Connect-SensoClassLink loads, with paths resolved as given' {
        $path = Join-Path $folder 'deploy/district.yml'
        $result = New-SensoClassLinkConfiguration -Path $path -CsvPath $exampleDistrict -PassThru

        $result.PSObject.TypeNames[0] | Should -Be 'SensoClassLink.Models.ClassLinkConfigurationFile'
        $result.Path | Should -Be $path
        $result.Connected | Should -BeFalse
        $result.RosterSource.GetType().FullName | Should -Be 'SensoClassLink.Core.Configuration.RosterSourceKind'
        (Get-PropertyText $result RosterSource), (Get-PropertyText $result SensoProvider) | Should -BeExactly @('csv|csv|csv', 'local|local|local')
        $info = Connect-SensoClassLink -ConfigPath $path -PassThru
        $info.RosterSource | Should -Be 'csv'
        $info.RosterLocation | Should -Be $exampleDistrict
        $info.SensoLocation | Should -Be (Join-Path $folder 'deploy/senso-tenant.db')
        $info.StatePath | Should -Be (Join-Path $folder 'deploy/sensoclasslink-state.db')

        $lines = Get-Content -LiteralPath $path
        $text = $lines -join "`n"
        $text | Should -Match '# Secrets are never stored here'
        $text | Should -Match '(?m)^  # Where the roster comes from.*\n  source: csv$'
        $text | Should -Match '(?m)^    # The OneRoster CSV folder.*\n    path: "'
        $text | Should -Match '(?m)^  # The module''s own database'
        @($lines | Where-Object { $_ -match '^\s*#' }).Count | Should -BeGreaterThan 10
        ($result | Format-List | Out-String) | Should -Match 'RosterLocation\s*:\s*\S'
    }

    It 'relative parameters resolve against the current location' {
        Push-Location $folder
        try {
            New-SensoClassLinkConfiguration -Path ./conf/a.yml -CsvPath ./export.zip -StatePath ./var/state.db -WarningAction SilentlyContinue
            $info = Connect-SensoClassLink -ConfigPath ./conf/a.yml -PassThru
        }
        finally { Pop-Location }
        $info.RosterLocation | Should -Be (Join-Path $folder 'export.zip')
        $info.StatePath | Should -Be (Join-Path $folder 'var/state.db')
    }

    It 'writes secret references and never a secret value, in the file or any stream' {
        $secret = 'Sup3r-Secret-' + [guid]::NewGuid().ToString('N')
        $pfxPassword = 'Pfx-' + [guid]::NewGuid().ToString('N')
        $env:SCL_NEW_CONFIG_SECRET = $secret
        $secretFile = Join-Path $folder 'senso.secret'
        Set-Content -LiteralPath $secretFile -Value $pfxPassword
        $path = Join-Path $folder 'api.yml'
        try {
            $all = New-SensoClassLinkConfiguration -Path $path -ClassLinkApiUrl https://district-vn-v2.rosterserver.com -ClientId 'the-key' `
                -ClientSecretVariable SCL_NEW_CONFIG_SECRET -SensoApiUrl https://senso.example/api/v1 `
                -SensoAuthority https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001 -SensoClientId app-id `
                -CertificatePath (Join-Path $folder 'app.pfx') -CertificatePasswordFile $secretFile -PassThru -Verbose *>&1
            $text = Get-Content -Raw -LiteralPath $path
            $text | Should -Match 'clientSecret: "env:SCL_NEW_CONFIG_SECRET"'
            $text | Should -Match ([regex]::Escape("certificatePassword: ""file:$secretFile"""))
            $text | Should -Match 'method: oauth1'
            $text | Should -Match 'signatureMethod: HMAC-SHA256'
            $everything = $text + ($all | Out-String) + ($all | Format-List * -Force | Out-String)
            $everything | Should -Not -Match $secret
            $everything | Should -Not -Match $pfxPassword
            $info = Connect-SensoClassLink -ConfigPath $path -PassThru
            (Get-PropertyText $info RosterSource), (Get-PropertyText $info SensoProvider) | Should -BeExactly @('api|api|api', 'api|api|api')
        }
        finally { Remove-Item Env:SCL_NEW_CONFIG_SECRET }
    }

    It 'refuses a secret given where its variable name or file belongs, without showing it' {
        $path = Join-Path $folder 'mistake.yml'
        $all = & { try { New-SensoClassLinkConfiguration -Path $path -ClassLinkApiUrl https://r.example -ClientId k -ClientSecretVariable $env:SCL_PESTER_OAUTH1_SECRET } catch { $_ | Format-List * -Force } } *>&1 | Out-String
        $all | Should -Match 'InvalidParameterCombination'
        $all | Should -Match 'not its value'
        $all | Should -Not -Match ([regex]::Escape($env:SCL_PESTER_OAUTH1_SECRET))
        $token = 'Zx9kQ2mW7pLr4TnB8vYc' + [guid]::NewGuid().ToString('N')
        $err = { New-SensoClassLinkConfiguration -Path $path -ClassLinkApiUrl https://r.example -AuthMethod bearer -ClientSecretFile $token } | Should -Throw -PassThru
        ($err | Format-List * -Force | Out-String) | Should -Not -Match $token
        $path | Should -Not -Exist
    }

    It 'warns when a referenced variable is not set, naming it but writing the file' {
        $path = Join-Path $folder 'w.yml'
        $warnings = New-SensoClassLinkConfiguration -Path $path -ClassLinkApiUrl https://roster.example.org -AuthMethod bearer -ClientSecretVariable SCL_SURELY_NOT_SET_ANYWHERE 3>&1
        ($warnings | Out-String) | Should -Match "SCL_SURELY_NOT_SET_ANYWHERE', which is not set"
        Get-Content -Raw $path | Should -Match 'token: "env:SCL_SURELY_NOT_SET_ANYWHERE"'
    }

    It 'refuses to overwrite an existing file, leaving it as it was' {
        $path = Join-Path $folder 'existing.yml'
        Set-Content -LiteralPath $path -Value '# mine, hand-written'
        $err = { New-SensoClassLinkConfiguration -Path $path -CsvPath $exampleDistrict } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ConfigurationFileExists*'
        $err.Exception.Message | Should -Match ([regex]::Escape($path))
        $err.ErrorDetails.RecommendedAction | Should -Match '-Force'
        Get-Content -Raw $path | Should -Be "# mine, hand-written$([Environment]::NewLine)"
        @(Get-ChildItem -Force $folder).Count | Should -Be 1
    }

    It 'replaces an existing file with -Force' {
        $path = Join-Path $folder 'existing.yml'
        Set-Content -LiteralPath $path -Value '# mine, hand-written'
        New-SensoClassLinkConfiguration -Path $path -CsvPath $exampleDistrict -Force
        Get-Content -Raw $path | Should -Match 'source: csv'
        (Connect-SensoClassLink -ConfigPath $path -PassThru).RosterLocation | Should -Be $exampleDistrict
        @(Get-ChildItem -Force $folder).Name | Should -Be @('existing.yml')
    }

    It 'writes nothing under -WhatIf, and does not connect' {
        $path = Join-Path $folder 'new/district.yml'
        New-SensoClassLinkConfiguration -Path (Join-Path $folder 'other.yml') -CsvPath $exampleDistrict -Connect
        $out = New-SensoClassLinkConfiguration -Path $path -CsvPath $exampleDistrict -Connect -PassThru -WhatIf -ErrorAction Stop *>&1
        # The "What if:" line goes to the host; nothing reaches the pipeline or another stream.
        $out | Should -BeNullOrEmpty
        Join-Path $folder 'new' | Should -Not -Exist
        @(Get-ChildItem -Force $folder).Name | Should -Be @('other.yml')
        # Still connected to the earlier file (a connection to the unwritten one would have failed).
        @(Get-ClassLinkTeacher -WarningAction SilentlyContinue).Count | Should -BeGreaterThan 0
    }

    It 'stops on an invalid combination with every problem named, and leaves nothing on disk' {
        $path = Join-Path $folder 'sub/bad.yml'
        $err = { New-SensoClassLinkConfiguration -Path $path -ClassLinkApiUrl http://roster.example.org -ClientId k -ClientSecretVariable S } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidConfiguration*'
        $err.Exception.Message | Should -Match '(?s)Nothing was written.*classlink\.api\.baseUrl.*https://'
        Join-Path $folder 'sub' | Should -Not -Exist

        $err = { New-SensoClassLinkConfiguration -Path $path -ClassLinkApiUrl https://r.example -ClientSecretVariable '$env:X' -ClientSecretFile ./s } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidParameterCombination*'
        $err.Exception.Message | Should -Match 'Give only one of -ClientSecretVariable, -ClientSecretFile'
        $err.Exception.Message | Should -Match 'needs -ClientId'
        $err.Exception.Message | Should -Match 'name of an environment variable'
        @(Get-ChildItem -Force $folder).Count | Should -Be 0
    }

    It 'with -Connect, connects at once: Get-ClassLinkTeacher reads the example district' {
        $path = Join-Path $folder 'example.yml'
        $result = New-SensoClassLinkConfiguration -Path $path -CsvPath $exampleDistrict -Connect -PassThru
        $result.Connected | Should -BeTrue
        $teachers = @(Get-ClassLinkTeacher -WarningAction SilentlyContinue)
        $teachers.Count | Should -BeGreaterThan 0
        $teachers.Email | Should -Contain 'jane.doe@riverside.example'
        (Connect-SensoClassLink -PassThru -ConfigPath $path).SensoLocation | Should -Be (Join-Path $folder 'senso-tenant.db')
    }

    It 'follows docs/classlink-setup.md against the loopback Roster Server: configure, test, preview an import' {
        $server = Start-OneRosterTestServer -DataFolder $restDistrict -Argument @('--consumer-key', 'test-consumer', '--consumer-secret', $env:SCL_PESTER_OAUTH1_SECRET, '--max-page-size', '5')
        try {
            $path = Join-Path $folder 'district.yml'
            New-SensoClassLinkConfiguration -Path $path -ClassLinkApiUrl $server.Url -ClientId test-consumer -ClientSecretVariable SCL_PESTER_OAUTH1_SECRET -Connect
            $test = Test-ClassLinkConnection
            $test.Succeeded | Should -BeTrue
            $test.OneRosterVersion | Should -Be '1.1'
            $test.TeacherCount | Should -Be 7
            $results = @(Get-ClassLinkTeacher | Import-SensoUser -Role Teacher -Site Main -WhatIf)
            $results.Count | Should -BeGreaterThan 0
            @($results.Status | Select-Object -Unique) | Should -Be @('WhatIf')
            Join-Path $folder 'sensoclasslink-state.db' | Should -Not -Exist
        }
        finally { Stop-OneRosterTestServer $server }
    }
}

Describe 'Without a configuration' {
    It 'every command''s error points to New-SensoClassLinkConfiguration' {
        $missing = Join-Path $TestDrive 'nowhere/config.yml'
        $lines = Invoke-FreshPwsh -Script @"
`$env:SENSOCLASSLINK_CONFIG = '$missing'
Import-Module `$env:SENSOCLASSLINK_MODULE
`$commands = @(
    { Get-ClassLinkTeacher }, { Test-ClassLinkConnection }, { Get-SensoRole }, { Get-SensoUser }, { Get-ClassLinkIntegrationSetting },
    { Get-ClassLinkIntegrationStatistic }, { Invoke-ClassLinkSync -WhatIf }, { Import-SensoUser -Email a@b.example -Role Teacher -Site Main -WhatIf },
    { Connect-SensoClassLink }, { Connect-SensoClassLink -ConfigPath '$missing' })
foreach (`$command in `$commands) {
    try { & `$command | Out-Null; 'NO ERROR ' + `$command }
    catch { 'ERROR|' + `$_.FullyQualifiedErrorId + '|' + (`$_.Exception.Message -replace '\s+', ' ') + '|' + `$_.ErrorDetails.RecommendedAction }
}
"@
        $errors = @($lines | Where-Object { $_ -like 'ERROR|*' })
        $lines | Where-Object { $_ -like 'NO ERROR*' } | Should -BeNullOrEmpty
        $errors.Count | Should -Be 10
        foreach ($line in $errors) {
            $id, $message, $action = ($line -split '\|')[1..3]
            $id | Should -BeLike 'InvalidConfiguration*'
            $message | Should -Match ("'" + [regex]::Escape($missing) + "' does not exist\. Create it with New-SensoClassLinkConfiguration")
            $action | Should -Match "^Run New-SensoClassLinkConfiguration -Path '$([regex]::Escape($missing))'"
        }
        Join-Path $TestDrive 'nowhere' | Should -Not -Exist
    }
}
