# Ctrl+C stops long work promptly: the pipeline's Stop cancels the engine's token at its next row.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $root = Split-Path (Split-Path $PSScriptRoot)
    $work = Join-Path ([System.IO.Path]::GetTempPath()) "scl-cancel-$([guid]::NewGuid().ToString('N'))"
    $district = Join-Path $work 'district'
    & dotnet build (Join-Path $root 'tools/RosterGenerator') -c Release --nologo -v quiet | Out-Null
    & dotnet (Join-Path $root 'tools/RosterGenerator/bin/Release/net10.0/RosterGenerator.dll') --out $district --enrollments 3000000 --seed 7 | Out-Null
    $config = New-TestConfiguration -Folder $work -DistrictPath $district
}

AfterAll {
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Stopping a command' {
    It 'stops Get-ClassLinkTeacher on a large roster within moments of Ctrl+C' {
        $shell = [powershell]::Create()
        [void]$shell.AddScript("Import-Module '$env:SENSOCLASSLINK_MODULE'; Connect-SensoClassLink -ConfigPath '$config'; Get-ClassLinkTeacher -IncludeIneligible | Measure-Object")
        $handle = $shell.BeginInvoke()
        try {
            # Let it get well into reading the files before stopping it.
            Start-Sleep -Milliseconds 1500
            $shell.InvocationStateInfo.State | Should -Be 'Running' -Because 'the roster takes longer than this to read'
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $shell.Stop()
            $watch.Stop()
            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 2
        }
        finally {
            $shell.Dispose()
        }
    }
}
