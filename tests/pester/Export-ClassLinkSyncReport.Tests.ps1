# The HTML sync report: Invoke-ClassLinkSync -ReportPath run.html and Export-ClassLinkSyncReport, against the local
# tenant, then rendered in headless Chromium. Without a browser the browser tests are skipped (never passed); the
# build installs one when it can (build/BuildTools.ps1, Install-TestBrowser).
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $noBrowser = -not (Find-TestBrowser)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module $env:SENSOCLASSLINK_MODULE -Force
    $script:browser = Find-TestBrowser

    # The test district, plus a teacher whose sourcedId and name are markup: the report must show them as text.
    $script:folder = Join-Path $TestDrive 'world'
    $district = New-TestDistrict -Path (Join-Path $folder 'district')
    Add-Content -LiteralPath (Join-Path $district 'users.csv') -Value '<script>alert(1)</script>,,,true,sch-1,teacher,mallory,,<b>Mallory</b>,Markup,,,mallory@district.example,,,,,'
    Add-Content -LiteralPath (Join-Path $district 'enrollments.csv') -Value 'e-8,,,c-1,sch-1,<script>alert(1)</script>,teacher,false,,'
    $script:config = New-TestConfiguration -Folder $folder
    $script:state = Join-Path $folder 'state.db'
    Connect-SensoClassLink -ConfigPath $config
    Set-ClassLinkIntegrationSetting -AutomaticallyCreateUsers $true -DefaultRole Teacher -DefaultSite Main
}

Describe 'Export-ClassLinkSyncReport and Invoke-ClassLinkSync -ReportPath .html' {
    It 'stops with a clear error, and creates neither the state file nor the report, when no data sync has run' {
        $report = Join-Path $folder 'none.html'

        $err = { Export-ClassLinkSyncReport -Path $report } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -BeLike 'StateStoreNotFound*'
        $err.Exception.Message | Should -BeLike "*$state*does not exist*Invoke-ClassLinkSync*"
        $state | Should -Not -Exist
        $report | Should -Not -Exist
    }

    It 'Invoke-ClassLinkSync -ReportPath run.html writes one self-contained page with the run, its decisions and escaped roster values' {
        $report = Join-Path $folder 'run.html'

        $script:firstRun = Invoke-ClassLinkSync -ReportPath $report

        $firstRun.ReportPath | Should -Be $report
        $firstRun.EligibleTeachers | Should -Be 3
        $html = Get-Content -Raw -LiteralPath $report
        $html | Should -Match '<meta http-equiv="Content-Security-Policy" content="default-src ''none''; style-src ''unsafe-inline''; img-src data:'
        $html | Should -Match '<div class="card-value">3</div>'
        $html | Should -Match '<h2>Teachers by reason</h2>'
        $html | Should -Match '<h2>Last 1 run</h2>'
        $html | Should -Match '>jane.doe@district.example</td>'
        $html | Should -Match '<code>&lt;script&gt;alert\(1\)&lt;/script&gt;</code>'
        $html | Should -Not -Match '<script'
        @(Get-ChildItem -LiteralPath $folder -Filter '*.tmp' -Force).Count | Should -Be 0
    }

    It 'writes the newest run and the runs before it from the history, and -PassThru returns the file' {
        Invoke-ClassLinkSync | Out-Null
        $report = Join-Path $folder 'history.html'

        $file = Export-ClassLinkSyncReport -Path $report -PassThru

        $file | Should -BeOfType ([System.IO.FileInfo])
        $file.FullName | Should -Be $report
        $html = Get-Content -Raw -LiteralPath $report
        $html | Should -Match '<h2>Last 2 runs</h2>'
        $html | Should -Match 'Invoke-ClassLinkSync -ReportPath run.html'
        ([regex]::Matches($html, '<tr(?: class="current")?><td>\d{4}-\d\d-\d\d \d\d:\d\d</td>')).Count | Should -Be 2
        Export-ClassLinkSyncReport -Path $report -Last 1 | Should -BeNullOrEmpty
        Get-Content -Raw -LiteralPath $report | Should -Match '<h2>Last 1 run</h2>'
    }

    It 'replaces an existing file as Export-Csv does, and -NoClobber leaves it as it is' {
        $report = Join-Path $folder 'existing.html'
        Set-Content -LiteralPath $report -Value 'keep me'

        $err = { Export-ClassLinkSyncReport -Path $report -NoClobber } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -BeLike 'ReportExists*'
        Get-Content -Raw -LiteralPath $report | Should -Be "keep me$([Environment]::NewLine)"
        Export-ClassLinkSyncReport -Path $report
        Get-Content -Raw -LiteralPath $report | Should -Match '^<!DOCTYPE html>'
    }

    It '-WhatIf says what it would write and writes nothing' {
        $report = Join-Path $folder 'whatif.html'

        # The what-if line goes to the host, which a transcript records.
        $transcript = Join-Path $TestDrive 'whatif.txt'
        Start-Transcript -LiteralPath $transcript | Out-Null
        try { $result = Export-ClassLinkSyncReport -Path $report -WhatIf -PassThru }
        finally { Stop-Transcript | Out-Null }

        $result | Should -BeNullOrEmpty
        (Get-Content -Raw -LiteralPath $transcript) -replace '\s+', ' ' | Should -BeLike '*What if:*Write the HTML report of the data sync run of*with 2 runs of history*whatif.html*'
        $report | Should -Not -Exist
    }

    It 'refuses a path that is not .html or whose folder is missing, naming it' {
        $err = { Export-ClassLinkSyncReport -Path (Join-Path $folder 'report.csv') } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidReportPath*'
        $err.Exception.Message | Should -BeLike '*report.csv*must end in .html*'
        $err = { Export-ClassLinkSyncReport -Path (Join-Path $folder 'missing/report.html') } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidReportPath*'
        $err = { Invoke-ClassLinkSync -ReportPath (Join-Path $folder 'run.txt') } | Should -Throw -PassThru
        $err.Exception.Message | Should -BeLike '*must end in .csv, .json or .html*'
    }

    It 'shows the school-year figures: a teacher renamed by sourcedId and the group of a class its teacher left' {
        # Jane's email changes in the roster (same sourcedId t-1); Omar (t-2) no longer teaches Biology (c-2), its only owner.
        $users = Join-Path $folder 'district/users.csv'
        (Get-Content -LiteralPath $users) -replace 'Jane\.Doe@district\.example', 'jane.roe@district.example' | Set-Content -LiteralPath $users
        $enrollments = Join-Path $folder 'district/enrollments.csv'
        Get-Content -LiteralPath $enrollments | Where-Object { $_ -notmatch '^e-5,' } | Set-Content -LiteralPath $enrollments
        $report = Join-Path $folder 'school-year.html'

        $run = Invoke-ClassLinkSync -ReportPath $report

        $run.UsersRenamed | Should -Be 1
        $run.GroupsRemoved | Should -Be 1
        $html = Get-Content -Raw -LiteralPath $report
        $html | Should -Match '<section class="cards school-year" aria-label="Through the school year">'
        $html | Should -Match '<div class="card-title">Users renamed</div><div class="card-value">1</div>'
        $html | Should -Match '<div class="card-title">Groups removed</div><div class="card-value">1</div>'
        $html | Should -Match '<div class="card-title">Users suspended</div><div class="card-value">0</div>'
        $html | Should -Match '<title>[^<]* · Users renamed: 1</title>'
        $html | Should -Match '>jane\.roe@district\.example</td>'
        $html | Should -Not -Match '<script'
    }

    Context 'in a real browser (headless Chromium)' -Skip:$noBrowser {
        It 'renders the school-year figures of a run that renamed a teacher and removed a group (--dump-dom)' {
            $page = Invoke-TestBrowser -Browser $browser -Path (Join-Path $folder 'school-year.html') -DumpDom

            $page.ExitCode | Should -Be 0
            foreach ($card in 'Users renamed', 'Users departed', 'Users suspended', 'Users reactivated', 'Groups removed') {
                $page.Dom | Should -Match "<div class=""card-title"">$card</div><div class=""card-value"">\d+</div>"
            }
            $page.Dom | Should -Match '<div class="card-title">Users renamed</div><div class="card-value">1</div>'
            $page.Dom | Should -Match '<div class="card-title">Groups removed</div><div class="card-value">1</div>'
            $page.Dom | Should -Match '<text class="series-name" x="0" y="\d+">Users suspended</text>'
            $page.Log | Should -Not -Match 'Content Security Policy'
        }

        It 'renders the figures, shows hostile roster text as text, and blocks nothing because nothing loads (--dump-dom)' {
            $page = Invoke-TestBrowser -Browser $browser -Path (Join-Path $folder 'run.html') -DumpDom

            $page.ExitCode | Should -Be 0
            $page.Dom | Should -Match '<div class="card-value">3</div>'
            $page.Dom | Should -Match '<span class="pill status">Completed</span>'
            $page.Dom | Should -Match 'Eligible teachers'
            $page.Dom | Should -Match '<div class="card-title">Users renamed</div><div class="card-value">0</div>'
            $page.Dom | Should -Match '<div class="card-title">Users departed</div><div class="card-value">0</div>'
            $page.Dom | Should -Match '<svg class="chart-bars"'
            $page.Dom | Should -Match '<svg class="chart-panels"'
            $page.Dom | Should -Match '<code>&lt;script&gt;alert\(1\)&lt;/script&gt;</code>'
            $page.Dom | Should -Not -Match '<script'
            $page.Log | Should -Not -Match 'Content Security Policy'
        }

        It 'draws a page that is not blank (screenshot pixels)' {
            $png = Join-Path $TestDrive 'run.png'

            $shot = Invoke-TestBrowser -Browser $browser -Path (Join-Path $folder 'run.html') -Screenshot $png -WindowSize '1280,900'

            $shot.ExitCode | Should -Be 0
            $image = Measure-PngImage -Path $png
            $image.Width | Should -Be 1280
            $image.Height | Should -Be 900
            $image.Colours | Should -BeGreaterThan 50
            $image.DifferingShare | Should -BeGreaterThan 0.05
        }
    }
}
