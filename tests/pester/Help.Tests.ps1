# Documentation cannot rot: every exported cmdlet has full help (after dbatools' help tests).
BeforeDiscovery {
    $manifest = Import-PowerShellDataFile $env:SENSOCLASSLINK_MODULE
    $cmdlets = @($manifest.CmdletsToExport | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    Import-Module $env:SENSOCLASSLINK_MODULE -Force
    $commonParameters = [System.Management.Automation.Cmdlet]::CommonParameters
}

Describe 'Help for <Name>' -ForEach $cmdlets {
    BeforeAll {
        $help = Get-Help $Name -Full
        $command = Get-Command $Name
    }

    It 'has a synopsis that is not the generated syntax' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$([regex]::Escape($Name))\s"
    }

    It 'has a description' {
        ($help.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has at least one example with code and remarks' {
        @($help.Examples.Example).Count | Should -BeGreaterThan 0
        foreach ($example in $help.Examples.Example) {
            $example.Code | Should -Not -BeNullOrEmpty
            ($example.Remarks | Out-String).Trim() | Should -Not -BeNullOrEmpty
        }
    }

    It 'describes every parameter' {
        $documented = @{}
        foreach ($parameter in @($help.Parameters.Parameter | Where-Object { $_ })) { $documented[$parameter.Name] = ($parameter.Description | Out-String).Trim() }
        foreach ($name in $command.Parameters.Keys | Where-Object { $_ -notin $commonParameters }) {
            $documented[$name] | Should -Not -BeNullOrEmpty -Because "-$name of $($command.Name) needs a description"
        }
    }

    It 'declares its output type' {
        if ($command.Verb -notin 'Connect', 'Disconnect') {
            $command.OutputType | Should -Not -BeNullOrEmpty
        }
    }
}
