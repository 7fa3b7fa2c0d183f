using System.Collections.Generic;

namespace SensoClassLink.Core.State;

/// <summary>
/// The figures of one run, spelled once: the run record keeps them, the run history stores them, and the run and
/// statistics output objects read them. A figure added here is saved, read back and kept by recovery without
/// another line elsewhere (the run history stores every figure that has no column of its own in its details document).
/// </summary>
public sealed record SyncRunFigures
{
    /// <summary>A run that counted nothing yet.</summary>
    public static readonly SyncRunFigures None = new();

    /// <summary>Teacher and student records in the roster.</summary>
    public int RosterUsers { get; init; }
    /// <summary>Schools in the roster.</summary>
    public int RosterSchools { get; init; }
    /// <summary>Teachers in the roster (records merged by email).</summary>
    public int RosterTeachers { get; init; }
    public int EligibleTeachers { get; init; }
    /// <summary>Teachers by eligibility reason name (Eligible, NoStudents, ...).</summary>
    public IReadOnlyDictionary<string, int> TeachersByReason { get; init; } = new Dictionary<string, int>();
    /// <summary>Active students in the roster.</summary>
    public int RosterStudents { get; init; }
    public int RosterClasses { get; init; }
    public int RosterEnrollments { get; init; }
    /// <summary>Unreadable rows and rule warnings (duplicates, dangling references) seen while reading the roster.</summary>
    public int DataQualityWarnings { get; init; }
    /// <summary>Users the run planned to create (what it would have created when it was held).</summary>
    public int UsersToCreate { get; init; }
    public int UsersCreated { get; init; }
    public int UsersExisting { get; init; }
    /// <summary>Users whose create failed.</summary>
    public int UsersFailed { get; init; }
    /// <summary>Group syncs queued by this run (new users and roster changes).</summary>
    public int GroupSyncsQueued { get; init; }
    public int GroupSyncsCompleted { get; init; }
    public int GroupSyncsFailed { get; init; }
    /// <summary>Group syncs still queued when the run ended (waiting for their retry time).</summary>
    public int GroupSyncsPending { get; init; }
    /// <summary>ClassLink users given the roster's new email (matched by sourcedId). Figures added later go last, so
    /// the details document of an older run keeps its keys in their order when it is saved again.</summary>
    public int UsersRenamed { get; init; }
    /// <summary>ClassLink users in Senso with no active teacher record in this (complete) roster.</summary>
    public int UsersDeparted { get; init; }
    /// <summary>Departed users suspended by this run (SuspendDepartedUsers, after SuspendAfterDays roster dates).</summary>
    public int UsersSuspended { get; init; }
    /// <summary>Suspended users whose active record returned, made active again by this run.</summary>
    public int UsersReactivated { get; init; }
    /// <summary>Class groups taken from their owners by this run's group syncs (a group whose last owner leaves is removed).</summary>
    public int GroupsRemoved { get; init; }
}
