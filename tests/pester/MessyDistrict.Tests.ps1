# The CSV reader's tolerance end to end (issue 12): one district written twice, tidily (tests/data/tidy-district, plain
# OneRoster 1.1) and as the exports districts really send (tests/data/messy-district: OneRoster 1.2 in a zip inside one
# top folder, UTF-16 files, 1.0 and odd-case headers, trailing commas, quoted manifest values, TRUE/yes/0 booleans,
# statuses in any case, ISO date-times, role dates, a Windows-1252 byte, an unreadable date). Both must give the same teachers.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module $env:SENSOCLASSLINK_MODULE -Force
    $repoRoot = Resolve-Path (Join-Path $PSScriptRoot '../..')
    $tidyDistrict = Join-Path $repoRoot 'tests/data/tidy-district'
    $messyDistrict = Join-Path $repoRoot 'tests/data/messy-district'
    $asOf = [datetime]'2025-10-01'

    function Connect-District([string] $Path) {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $folder | Out-Null
        Connect-SensoClassLink -ConfigPath (New-TestConfiguration -Folder $folder -DistrictPath $Path)
        return $folder
    }

    function Get-TeacherView {
        # What a user sees of each teacher, as comparable lines.
        @(Get-ClassLinkTeacher -IncludeIneligible -AsOf $asOf -WarningAction SilentlyContinue) | ForEach-Object {
            '{0}|{1}|{2} {3}|{4}|{5}|{6}|{7}' -f $_.Email, $_.Reason, $_.GivenName, $_.FamilyName, ($_.SourcedIds -join ','),
                ($_.Schools -join ','), (($_.Classes | ForEach-Object { "$($_.SourcedId):$($_.StudentCount)" }) -join ','), $_.StudentCount
        }
    }
}

Describe 'A messy district export' {
    BeforeAll {
        Connect-District $tidyDistrict | Out-Null
        $tidy = @(Get-TeacherView)
        # Compress-Archive of the folder itself puts the files inside one top folder, as zipping an export folder does.
        $zip = Join-Path $TestDrive 'messy-district.zip'
        Compress-Archive -Path $messyDistrict -DestinationPath $zip -Force
        Connect-District $zip | Out-Null
        $messy = @(Get-TeacherView)
    }

    It 'reads the tidy district as expected' {
        $tidy.Count | Should -Be 9
        ($tidy | Where-Object { $_ -like '*|Eligible|*' }).Count | Should -Be 4
        $tidy | Should -Contain 'ben.okafor@riverbend.example|Eligible|Ben Okafor|t-ben|Alder High,Birch Middle|c-alg:1,c-art:1|2'
        $tidy | Should -Contain 'hal.ng@riverbend.example|NoClasses|Hal Ng|t-hal|Alder High||0'
    }

    It 'gives the same teachers, reasons, schools, classes and student counts as the tidy version' {
        $messy | Should -Be $tidy
    }

    It 'names each problem it tolerated by file and line in verbose output, never the values' {
        $out = Get-ClassLinkTeacher -AsOf $asOf -WarningVariable warns -WarningAction SilentlyContinue -Verbose 4>&1 | Out-String
        $warns.Count | Should -Be 1
        $warns[0].Message | Should -Match '3 data-quality problem'
        $out | Should -Match 'manifest\.csv: .*classes\.csv as absent.*: line 8\.'
        $out | Should -Match 'orgs\.csv: .*not valid UTF-8.*Export the file as UTF-8: line 2\.'
        $out | Should -Match 'enrollments\.csv: the enrollment.s endDate .*: line 18\.'
        $out | Should -Not -Match '30/06/2025|Riverbend Distr'
    }
}

Describe 'A delta (change-set) export' {
    BeforeAll {
        $delta = Join-Path $TestDrive 'delta-district'
        Copy-Item -Path $tidyDistrict -Destination $delta -Recurse
        $manifest = Join-Path $delta 'manifest.csv'
        (Get-Content -LiteralPath $manifest) -replace '^file\.users,bulk$', 'file.users,delta' | Set-Content -LiteralPath $manifest
        $world = Connect-District $delta
    }

    It 'stops Get-ClassLinkTeacher with one error naming manifest.csv and the file' {
        { Get-ClassLinkTeacher -AsOf $asOf } | Should -Throw -ErrorId 'RosterUnreadable*'
        try { Get-ClassLinkTeacher -AsOf $asOf } catch { $message = $_.Exception.Message }
        $message | Should -Match 'manifest\.csv'
        $message | Should -Match "users\.csv \(line 7\) as 'delta'"
    }

    It 'stops Import-SensoUser and Sync-SensoUserGroup before any Senso write' {
        { Import-SensoUser -Email 'ana.silva@riverbend.example' -Role Teacher -Site Main } | Should -Throw -ErrorId 'RosterUnreadable*'
        { Sync-SensoUserGroup -Email 'ana.silva@riverbend.example' } | Should -Throw -ErrorId 'RosterUnreadable*'
        @(Get-SensoUser).Count | Should -Be 0
        # The resync reads the roster before it queues, so a refused export leaves no job behind either.
        @(Get-SensoGroupSyncJob).Count | Should -Be 0
    }

    It 'fails the nightly sync saying why, having written nothing to Senso' {
        $run = Invoke-ClassLinkSync -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        $run.Status | Should -Be 'Failed'
        $run.Message | Should -Match 'manifest\.csv'
        $run.Message | Should -Match 'delta'
        @(Get-SensoUser).Count | Should -Be 0
    }

    It 'fails Test-ClassLinkConnection with the reason as a hint' {
        $test = Test-ClassLinkConnection -WarningAction SilentlyContinue
        $test.Succeeded | Should -BeFalse
        ($test.Hints -join ' ') | Should -Match 'delta'
    }
}
