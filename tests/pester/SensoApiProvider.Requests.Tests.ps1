# How the Senso API provider works the server, seen from the server: the most requests in flight at once (the loopback
# contract server's high-water mark) equals Import-SensoUser's -ThrottleLimit, or senso.api.maxConcurrency without it;
# and the provider's own diagnostic lines (401 refresh, retries, unknown-outcome lookups) reach -Verbose without a
# token, a secret or a query string. The module runs in a child pwsh whose SSL_CERT_FILE trusts the token endpoint's
# test certificate (see SensoApiTestServer.psm1); certificate validation stays on.
BeforeDiscovery {
    $supported = $IsLinux
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'SensoApiTestServer.psm1') -Force
    Import-Module $env:SENSOCLASSLINK_MODULE -Force
    if ($IsLinux) {
        $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) ('scl-senso-requests-' + [guid]::NewGuid().ToString('N'))
        $script:Trust = New-SensoApiTestTrust -Folder $script:Work
    }

    function New-TeacherDistrict {
        # A CSV district of $Count eligible teachers (t1..tN@district.example), each teaching one class with a student.
        param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [int] $Count)
        New-Item -ItemType Directory -Path $Path -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $Path 'manifest.csv') -Value @(
            'propertyName,value', 'manifest.version,1.0', 'oneroster.version,1.1', 'file.orgs,bulk', 'file.users,bulk',
            'file.classes,bulk', 'file.enrollments,bulk', 'file.academicSessions,absent', 'file.courses,absent')
        Set-Content -LiteralPath (Join-Path $Path 'orgs.csv') -Value @(
            'sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId', 'org-d,,,Test District,district,,', 'sch-1,,,Lincoln High,school,,org-d')
        $users = @('sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password')
        $users += 's-1,,,true,sch-1,student,s1,,Ana,Lima,,,,,,,,'
        $classes = @('sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods')
        $enrollments = @('sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate')
        foreach ($i in 1..$Count) {
            $users += "t-$i,,,true,sch-1,teacher,t$i,,Teacher,Number$i,,,t$i@district.example,,,,,"
            $classes += "c-$i,,,Class $i,,,C$i,scheduled,,sch-1,,,,"
            $enrollments += "et-$i,,,c-$i,sch-1,t-$i,teacher,true,,"
            $enrollments += "es-$i,,,c-$i,sch-1,s-1,student,,,"
        }
        Set-Content -LiteralPath (Join-Path $Path 'users.csv') -Value $users
        Set-Content -LiteralPath (Join-Path $Path 'classes.csv') -Value $classes
        Set-Content -LiteralPath (Join-Path $Path 'enrollments.csv') -Value $enrollments
        return 1..$Count | ForEach-Object { "t$_@district.example" }
    }

    function Invoke-TrustedPwsh {
        # Runs $Script in a fresh pwsh that trusts the test token endpoint (SSL_CERT_FILE), as a district trusts its CA.
        param([Parameter(Mandatory)] [string] $Script)
        $saved = $env:SSL_CERT_FILE
        $env:SSL_CERT_FILE = $script:Trust.Bundle
        try {
            return Invoke-FreshPwsh -Script $Script
        }
        finally {
            $env:SSL_CERT_FILE = $saved
        }
    }

    function New-RequestWorld {
        # A fresh tenant behind a contract server with $LatencyMs per API request, a district of $Teachers, and its configuration.
        param([int] $Teachers, [int] $LatencyMs, [string[]] $ApiExtra = @())
        $folder = Join-Path $script:Work ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $folder | Out-Null
        $emails = New-TeacherDistrict -Path (Join-Path $folder 'district') -Count $Teachers
        $server = Start-SensoApiTestServer -TenantPath (Join-Path $folder 'tenant.db') -Certificate $script:Trust.Certificate
        Invoke-SensoApiTestControl -Server $server -Method Put -Path "latency/$LatencyMs" | Out-Null
        $config = New-SensoApiTestConfiguration -Folder $folder -Server $server -ApiExtra $ApiExtra
        return [pscustomobject]@{ Server = $server; Config = $config; Emails = $emails }
    }

    function Invoke-Import {
        # Import-SensoUser in a trusted child over $World; returns 'RESULT <email> <status>' lines (and verbose lines with -Verbose).
        param([Parameter(Mandatory)] $World, [string] $ImportArguments = '')
        $emails = ($World.Emails | ForEach-Object { "'$_'" }) -join ','
        return Invoke-TrustedPwsh -Script @"
`$ErrorActionPreference = 'Stop'
Import-Module `$env:SENSOCLASSLINK_MODULE
Connect-SensoClassLink -ConfigPath '$($World.Config)'
Import-SensoUser -Email $emails -Role Teacher -Site Main $ImportArguments 4>&1 | ForEach-Object {
    if (`$_ -is [System.Management.Automation.VerboseRecord]) { 'VERBOSE ' + `$_.Message } else { 'RESULT ' + `$_.Email + ' ' + `$_.Status + ' ' + `$_.GroupSync }
}
"@
    }
}

AfterAll {
    Stop-SensoApiTestServer -All
    if ($script:Work) { Remove-Item -LiteralPath $script:Work -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Senso API requests in flight' -Skip:(-not $supported) {
    BeforeAll {
        # One server and one child for three imports of ten teachers each; after each, the child reads the server's
        # high-water mark of requests in flight and resets it (the server's latency makes concurrent requests overlap).
        $world = New-RequestWorld -Teachers 30 -LatencyMs 200 -ApiExtra 'maxConcurrency: 3'
        $control = ($world.Server.ApiBaseUrl -replace 'api/?$', '') + 'test/in-flight'
        $batches = @(
            @{ Name = 'limit2'; Emails = $world.Emails[0..9]; Arguments = '-ThrottleLimit 2' }
            @{ Name = 'limit8'; Emails = $world.Emails[10..19]; Arguments = '-ThrottleLimit 8' }
            @{ Name = 'configured'; Emails = $world.Emails[20..29]; Arguments = '' }
        )
        $runs = foreach ($batch in $batches) {
            $emails = ($batch.Emails | ForEach-Object { "'$_'" }) -join ','
            @"
Invoke-RestMethod -Method Post -Uri '$control/reset' | Out-Null
`$created = @(Import-SensoUser -Email $emails -Role Teacher -Site Main $($batch.Arguments) | Where-Object Status -eq 'Created').Count
'$($batch.Name) created ' + `$created + ' highWater ' + (Invoke-RestMethod -Uri '$control').highWater
"@
        }
        $script:Output = Invoke-TrustedPwsh -Script @"
`$ErrorActionPreference = 'Stop'
Import-Module `$env:SENSOCLASSLINK_MODULE
Connect-SensoClassLink -ConfigPath '$($world.Config)'
$($runs -join "`n")
"@
        $script:Text = $script:Output -join "`n"
    }

    It 'Import-SensoUser -ThrottleLimit 2 keeps at most 2 requests in flight, and reaches it' {
        $script:Output | Should -Contain 'limit2 created 10 highWater 2' -Because $script:Text
    }

    It 'Import-SensoUser -ThrottleLimit 8 reaches 8 requests in flight, above the default of 4' {
        $script:Output | Should -Contain 'limit8 created 10 highWater 8' -Because $script:Text
    }

    It 'without -ThrottleLimit, senso.api.maxConcurrency is the bound' {
        $script:Output | Should -Contain 'configured created 10 highWater 3' -Because $script:Text
    }

    It 'refuses an out-of-range senso.api.maxConcurrency, naming the key and its line' {
        $folder = Join-Path $script:Work ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $folder | Out-Null
        $config = New-SensoApiTestConfiguration -Folder $folder -Server $world.Server -ApiExtra 'maxConcurrency: 64'
        { Connect-SensoClassLink -ConfigPath $config } | Should -Throw -ExpectedMessage "*line *'senso.api.maxConcurrency'*between 1 and 32*"
    }
}

Describe 'Senso API provider verbose lines' -Skip:(-not $supported) {
    It 'shows the 401 refresh, the retry and the unknown-outcome lookup under -Verbose, with no token, secret or query string' {
        $world = New-RequestWorld -Teachers 2 -LatencyMs 0 -ApiExtra 'timeoutSeconds: 1', 'maxRetries: 2'
        # The first request meets a 429 then a revoked token; the first create commits but answers after the 1 s timeout.
        Invoke-SensoApiTestControl -Server $world.Server -Method Post -Path 'faults/rate-limit/1/1' | Out-Null
        Invoke-SensoApiTestControl -Server $world.Server -Method Post -Path 'faults/reject-next-token' | Out-Null
        Invoke-SensoApiTestControl -Server $world.Server -Method Post -Path 'faults/stall-next-create/2500' | Out-Null
        $output = Invoke-Import -World $world -ImportArguments '-ThrottleLimit 1 -Verbose'
        $text = $output -join "`n"
        @($output | Where-Object { $_ -like 'RESULT t1@district.example *' -or $_ -like 'RESULT t2@district.example *' }).Count | Should -Be 2 -Because $text
        $verbose = @($output | Where-Object { $_ -like 'VERBOSE *' })
        $verbose | Should -Contain 'VERBOSE GET /api/integrations/classlink/settings -> 401: refreshing the access token once.' -Because $text
        @($verbose | Where-Object { $_ -like 'VERBOSE POST /users -> TimeoutRejectedException: the outcome is unknown, looking the user up before deciding.' }).Count | Should -Be 1 -Because $text
        @($verbose | Where-Object { $_ -like 'VERBOSE Retrying after HTTP 429: attempt 2 in *' }).Count | Should -Be 1 -Because $text
        @($verbose | Where-Object { $_ -match '^VERBOSE (GET|POST|PUT) /api/users' }).Count | Should -BeGreaterThan 0 -Because 'each request is shown, by path'

        $tokens = @(Invoke-SensoApiTestControl -Server $world.Server -Path 'tokens' | ForEach-Object { $_ })
        $tokens.Count | Should -BeGreaterThan 1 -Because 'a token was issued, revoked and issued again'
        foreach ($token in $tokens) { $text | Should -Not -Match ([regex]::Escape($token)) }
        $text | Should -Not -Match ([regex]::Escape($env:SCL_PESTER_SENSO_CLIENT_SECRET))
        $text | Should -Not -Match 'Bearer'
        foreach ($line in $verbose | Where-Object { $_ -match '^VERBOSE (GET|POST|PUT) |^VERBOSE Retrying' }) {
            $line | Should -Not -Match '\?' -Because 'query strings carry emails and search text'
            $line | Should -Not -Match '@' -Because 'request lines name paths, not people'
        }
    }
}
