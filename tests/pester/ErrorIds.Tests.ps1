BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module $env:SENSOCLASSLINK_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'OneRosterTestServer.psm1') -Force

    $script:assembly = (Get-Command Get-SensoRole).ImplementingType.Assembly
    $script:idsType = $assembly.GetType('SensoClassLink.Errors.ErrorIds', $true)
    $catalogType = $assembly.GetType('SensoClassLink.Errors.ErrorCatalog', $true)
    $script:categories = $catalogType.GetField('Categories', [System.Reflection.BindingFlags] 'Static, Public, NonPublic').GetValue($null)
    $script:ids = @($idsType.GetFields() | Where-Object { $_.IsLiteral } | ForEach-Object { $_.GetRawConstantValue() })
    $script:source = Join-Path $PSScriptRoot '../../src/SensoClassLink'

    function Get-CallArgument {
        # The argument text of every call to $Name in $Text (parentheses matched, strings skipped).
        param([string] $Text, [string] $Name)
        foreach ($match in [regex]::Matches($Text, "\b$([regex]::Escape($Name))\(")) {
            $depth = 1; $i = $match.Index + $match.Length; $inString = $false
            while ($depth -gt 0 -and $i -lt $Text.Length) {
                $c = $Text[$i]
                if ($inString) { if ($c -eq '\') { $i++ } elseif ($c -eq '"') { $inString = $false } }
                elseif ($c -eq '"') { $inString = $true }
                elseif ($c -eq '(') { $depth++ }
                elseif ($c -eq ')') { $depth-- }
                $i++
            }
            $Text.Substring($match.Index + $match.Length, $i - $match.Index - $match.Length - 1)
        }
    }
}

Describe 'The error-id catalog' {
    It 'gives every id one category' {
        $ids.Count | Should -BeGreaterThan 10
        foreach ($id in $ids) { $categories.ContainsKey($id) | Should -BeTrue -Because "$id needs a category" }
        $categories.Count | Should -Be $ids.Count
    }

    It 'is what every error record in the commands is raised with: no id is a string literal at a call site' {
        $files = Get-ChildItem $source -Recurse -Filter *.cs | Where-Object { $_.FullName -notmatch '[\\/](bin|obj|Errors)[\\/]' }
        $files.Count | Should -BeGreaterThan 10
        $problems = foreach ($file in $files) {
            $text = Get-Content -LiteralPath $file.FullName -Raw
            if ($text -match '\bnew ErrorRecord\(') { "$($file.Name): builds an ErrorRecord itself; use ErrorCatalog.Record" }
            foreach ($call in 'WriteItemError', 'ThrowCallError') {
                foreach ($arguments in Get-CallArgument -Text $text -Name $call) {
                    if ($arguments -match '^\s*Exception exception') { continue } # the declaration in the base cmdlet
                    if ($arguments -notmatch 'ErrorIds\.') { "$($file.Name): $call($arguments) names no ErrorIds constant" }
                }
            }
            foreach ($id in $ids) {
                if ($text -match ('"' + [regex]::Escape($id) + '[".]')) { "$($file.Name): spells the id '$id' as a string" }
            }
        }
        $problems | Should -BeNullOrEmpty
    }

    It 'is listed in about_SensoClassLink with each id''s category' {
        $help = Get-Content -LiteralPath (Join-Path $PSScriptRoot '../../module/en-US/about_SensoClassLink.help.txt') -Raw
        foreach ($id in $ids) {
            $suffix = if ($id -in 'ImportFailed', 'GroupSyncFailed') { '.<reason>' } else { '' }
            $help | Should -Match ([regex]::Escape("$id$suffix ($($categories[$id]))")) -Because "about_SensoClassLink lists $id"
        }
    }
}

Describe 'The same failure has the same id and category from every command' {
    BeforeEach {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $folder | Out-Null
        New-TestDistrict -Path (Join-Path $folder 'district') | Out-Null
        Connect-SensoClassLink -ConfigPath (New-TestConfiguration -Folder $folder)
    }

    It 'an unknown role is RoleNotFound (ObjectNotFound) from Get-SensoRole, Import-SensoUser and Set-ClassLinkIntegrationSetting' {
        Get-SensoRole -Name Techer -ErrorVariable fromGet -ErrorAction SilentlyContinue | Out-Null
        $fromImport = { Import-SensoUser -Email 'jane.doe@district.example' -Role Techer -Site Main } | Should -Throw -PassThru
        $fromSettings = { Set-ClassLinkIntegrationSetting -DefaultRole Techer } | Should -Throw -PassThru

        foreach ($record in $fromGet[0], $fromImport, $fromSettings) {
            $record.FullyQualifiedErrorId | Should -BeLike 'RoleNotFound,*'
            $record.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $record.Exception.Message | Should -Match "no role named 'Techer'"
        }
    }

    It 'an unknown site is SiteNotFound (ObjectNotFound) from Get-SensoSite and Import-SensoUser' {
        Get-SensoSite -Name Mian -ErrorVariable fromGet -ErrorAction SilentlyContinue | Out-Null
        $fromImport = { Import-SensoUser -Email 'jane.doe@district.example' -Role Teacher -Site Mian } | Should -Throw -PassThru
        foreach ($record in $fromGet[0], $fromImport) {
            $record.FullyQualifiedErrorId | Should -BeLike 'SiteNotFound,*'
            $record.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }
    }

    It 'an invalid configuration is InvalidConfiguration (InvalidData) from Connect-SensoClassLink and Test-ClassLinkConnection' {
        $bad = Join-Path $folder 'bad.yml'
        Set-Content -LiteralPath $bad -Value "classlink:`n  source: nowhere`n"
        $fromConnect = { Connect-SensoClassLink -ConfigPath $bad } | Should -Throw -PassThru
        # A secret that cannot be resolved surfaces only when the connection test signs in.
        Remove-Item Env:\SCL_PESTER_UNSET_SECRET -ErrorAction SilentlyContinue
        Connect-SensoClassLink -ConfigPath (New-RestTestConfiguration -Folder $folder -BaseUrl 'http://127.0.0.1:9' `
            -Auth "method: oauth1`n      clientId: test-consumer`n      clientSecret: env:SCL_PESTER_UNSET_SECRET")
        $fromTest = { Test-ClassLinkConnection } | Should -Throw -PassThru
        foreach ($record in $fromConnect, $fromTest) {
            $record.FullyQualifiedErrorId | Should -BeLike 'InvalidConfiguration,*'
            $record.CategoryInfo.Category | Should -Be 'InvalidData'
        }
    }
}
