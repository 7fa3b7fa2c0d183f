<#
    The script a sysadmin would write today with Import-Csv and Group-Object to answer the same question as
    Get-ClassLinkTeacher: which teachers have current classes populated with active students. It follows the
    same rules (merge by normalized email, active records, current enrollments, active classes and students) so
    its eligible count can be checked against the cmdlet's. Used only as the benchmark's baseline.
#>
param(
    [Parameter(Mandatory)] [string] $Path,
    [Parameter(Mandatory)] [datetime] $AsOf
)
$ErrorActionPreference = 'Stop'
$clock = [System.Diagnostics.Stopwatch]::StartNew()
$d = $AsOf.ToString('yyyy-MM-dd')
$emailPattern = '^(?=.{1,254}$)[^@\s]{1,64}@((?!-)[^@\s.]+(?<!-)\.)+(?!-)[^@\s.]+(?<!-)$'

$users = Import-Csv (Join-Path $Path 'users.csv')
$classes = Import-Csv (Join-Path $Path 'classes.csv')
$enrollments = Import-Csv (Join-Path $Path 'enrollments.csv')

$userById = @{}
foreach ($u in $users) { $userById[$u.sourcedId] = $u }
$activeClass = @{}
foreach ($c in $classes) { if ($c.status -in '', 'active') { $activeClass[$c.sourcedId] = $true } }
function Test-Active($u) { ($u.status -in '', 'active') -and $u.enabledUser -ne 'false' }

$counting = $enrollments | Where-Object {
    $_.status -in '', 'active' -and
    ($_.beginDate -eq '' -or $_.beginDate -le $d) -and ($_.endDate -eq '' -or $d -lt $_.endDate) -and
    $activeClass.ContainsKey($_.classSourcedId) -and $userById.ContainsKey($_.userSourcedId)
}
$studentsByClass = $counting |
    Where-Object { $_.role -eq 'student' -and $userById[$_.userSourcedId].role -eq 'student' -and (Test-Active $userById[$_.userSourcedId]) } |
    Group-Object classSourcedId -AsHashTable
$classesByTeacher = $counting | Where-Object role -eq 'teacher' | Group-Object userSourcedId -AsHashTable

$results = foreach ($group in $users | Where-Object role -eq 'teacher' | Group-Object { $_.email.Trim().ToLowerInvariant() }) {
    # Records without an email stand alone; records sharing one are one teacher.
    $sets = [System.Collections.Generic.List[object]]::new()
    if ($group.Name -eq '') { foreach ($record in $group.Group) { $sets.Add(@($record)) } } else { $sets.Add(@($group.Group)) }
    foreach ($set in $sets) {
        $email = $set[0].email.Trim().ToLowerInvariant()
        $active = @($set | Where-Object { Test-Active $_ })
        $classIds = @($active | ForEach-Object { if ($classesByTeacher -and $classesByTeacher[$_.sourcedId]) { $classesByTeacher[$_.sourcedId].classSourcedId } } | Sort-Object -Unique)
        $students = @($classIds | ForEach-Object { if ($studentsByClass -and $studentsByClass[$_]) { $studentsByClass[$_].userSourcedId } } | Sort-Object -Unique)
        $reason = if ($email -eq '') { 'MissingEmail' }
            elseif ($email -notmatch $emailPattern) { 'InvalidEmail' }
            elseif ($active.Count -eq 0) { 'Inactive' }
            elseif ($classIds.Count -eq 0) { 'NoClasses' }
            elseif ($students.Count -eq 0) { 'NoStudents' }
            else { 'Eligible' }
        [pscustomobject]@{ Email = $email; Reason = $reason; StudentCount = $students.Count }
    }
}
$clock.Stop()
$process = [System.Diagnostics.Process]::GetCurrentProcess()
[ordered]@{
    seconds = [math]::Round($clock.Elapsed.TotalSeconds, 3)
    peakWorkingSetMB = [math]::Round($process.PeakWorkingSet64 / 1MB, 1)
    teachers = @($results).Count
    eligible = @($results | Where-Object Reason -eq 'Eligible').Count
} | ConvertTo-Json -Compress
