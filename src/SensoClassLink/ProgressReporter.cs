using System;
using System.Diagnostics;
using System.Management.Automation;

namespace SensoClassLink;

/// <summary>
/// One progress activity per command: throttled to a few updates a second (Write-Progress is costly
/// when called per record), percentage only when a total is known, and always completed.
/// </summary>
internal sealed class ProgressReporter
{
    private static readonly long Interval = Stopwatch.Frequency / 4;

    private readonly Cmdlet _cmdlet;
    private readonly ProgressRecord _record;
    private long _lastUpdate;
    private bool _shown;

    public ProgressReporter(Cmdlet cmdlet, int activityId, string activity)
    {
        _cmdlet = cmdlet;
        _record = new ProgressRecord(activityId, activity, "Starting");
    }

    /// <summary>Reports progress; call freely, it writes only when the throttle allows or when forced.</summary>
    public void Report(string status, int percentComplete = -1, bool force = false)
    {
        long now = Stopwatch.GetTimestamp();
        if (!force && _shown && now - _lastUpdate < Interval)
        {
            return;
        }
        _lastUpdate = now;
        _shown = true;
        _record.StatusDescription = status;
        _record.PercentComplete = Math.Min(100, percentComplete);
        _record.RecordType = ProgressRecordType.Processing;
        _cmdlet.WriteProgress(_record);
    }

    public void Complete()
    {
        if (!_shown)
        {
            return;
        }
        _record.RecordType = ProgressRecordType.Completed;
        _cmdlet.WriteProgress(_record);
        _shown = false;
    }
}
