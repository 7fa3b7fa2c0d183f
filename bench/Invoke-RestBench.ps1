<#
.SYNOPSIS
    REST benchmark: 1M enrollments through the loopback OneRoster server with 10 ms added latency per
    page, pulled by the real RestRosterSource sequentially (maxConcurrency 1) and with maxConcurrency 4.
.DESCRIPTION
    Writes a small district (orgs, users, classes) into the work directory, serves a million generated
    enrollments over it (the server computes them from their index, so it holds none), prints both
    timings and the speed-up, and writes bench/results/rest.json.
#>
[CmdletBinding()]
param(
    [string] $ModulePath,
    [string] $WorkDirectory = (Join-Path $PSScriptRoot '../output/bench'),
    [int] $Enrollments = 1000000,
    [int] $LatencyMs = 10,
    [int] $PageSize = 1000
)
$ErrorActionPreference = 'Stop'

$data = Join-Path $WorkDirectory 'rest-district'
New-Item -ItemType Directory -Path $data -Force | Out-Null
$schools = 20
Set-Content -LiteralPath (Join-Path $data 'orgs.csv') -Value (@('sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId', 'd-1,active,,Bench District,district,,') +
    (1..$schools | ForEach-Object { "sch-$_,active,,School $_,school,,d-1" }))
$users = [System.Collections.Generic.List[string]]::new()
$users.Add('sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password')
foreach ($i in 1..400) { $users.Add("t-$i,active,,true,sch-$(($i % $schools) + 1),teacher,t$i,,Teacher,N$i,,,t$i@bench.example,,,,,") }
foreach ($i in 1..8000) { $users.Add("s-$i,active,,true,sch-$(($i % $schools) + 1),student,s$i,,Student,N$i,,,,,,,,") }
Set-Content -LiteralPath (Join-Path $data 'users.csv') -Value $users
Set-Content -LiteralPath (Join-Path $data 'classes.csv') -Value (@('sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods') +
    (1..2000 | ForEach-Object { "c-$_,active,,Class $_,,course-$_,C$_,scheduled,,sch-$(($_ % $schools) + 1),,,," }))
Set-Content -LiteralPath (Join-Path $data 'enrollments.csv') -Value 'sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate'

$project = Join-Path $PSScriptRoot '../tests/SensoClassLink.OneRosterTestServer/SensoClassLink.OneRosterTestServer.csproj'
& dotnet build $project -c Release --nologo -v quiet | Out-Host
if ($LASTEXITCODE -ne 0) { throw "Building the OneRoster test server failed (exit code $LASTEXITCODE)." }
$dll = Join-Path $PSScriptRoot '../tests/SensoClassLink.OneRosterTestServer/bin/Release/net10.0/SensoClassLink.OneRosterTestServer.dll'
$results = Join-Path $PSScriptRoot 'results'
New-Item -ItemType Directory -Path $results -Force | Out-Null
$output = Join-Path $results 'rest.json'

& dotnet $dll bench --data $data --enrollments $Enrollments --latency-ms $LatencyMs --page-size $PageSize --output $output | Out-Host
if ($LASTEXITCODE -ne 0) { throw "The REST benchmark failed (exit code $LASTEXITCODE)." }
$result = Get-Content -Raw $output | ConvertFrom-Json
Write-Host ("REST: {0:N0} enrollments, {1} ms/page added latency: sequential {2} s, maxConcurrency 4 {3} s, speed-up {4}x" -f
    $result.enrollments, $result.addedLatencyMsPerPage, $result.runs[0].seconds, $result.runs[1].seconds, $result.speedUp)
