using System;
using System.Collections.Generic;
using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.OneRoster.Rest;

namespace SensoClassLink.Models;

/// <summary>The result of Test-ClassLinkConnection: reachability, authentication, what is visible, and hints. Holds no secret.</summary>
public sealed class ClassLinkConnectionTest
{
    public ClassLinkConnectionTest(RosterSourceKind source, string server, string? oneRosterVersion, string authenticationMethod, bool reachable, bool authenticated,
        int? httpStatus, long? schoolCount, long? teacherCount, long? studentCount, long? classCount, long? enrollmentCount, long? academicSessionCount,
        IReadOnlyList<string> hints, bool succeeded, FieldSelectionSupport? fieldSelection = null)
    {
        FieldSelection = fieldSelection;
        Source = source;
        Server = server;
        OneRosterVersion = oneRosterVersion;
        AuthenticationMethod = authenticationMethod;
        Reachable = reachable;
        Authenticated = authenticated;
        HttpStatus = httpStatus;
        SchoolCount = schoolCount;
        TeacherCount = teacherCount;
        StudentCount = studentCount;
        ClassCount = classCount;
        EnrollmentCount = enrollmentCount;
        AcademicSessionCount = academicSessionCount;
        Hints = hints is string[] array ? array : new List<string>(hints).ToArray();
        Succeeded = succeeded;
    }

    /// <summary>api or csv, as classlink.source says.</summary>
    public RosterSourceKind Source { get; }

    /// <summary>The Roster Server (scheme, host, port) or the CSV folder.</summary>
    public string Server { get; }

    /// <summary>The OneRoster version that answered (1.1 or 1.2), or null when none did.</summary>
    public string? OneRosterVersion { get; }

    public string AuthenticationMethod { get; }
    public bool Reachable { get; }
    public bool Authenticated { get; }
    public int? HttpStatus { get; }
    public long? SchoolCount { get; }
    public long? TeacherCount { get; }
    public long? StudentCount { get; }
    public long? ClassCount { get; }
    public long? EnrollmentCount { get; }

    /// <summary>Academic sessions (terms) the classes can be dated by; 0 for a CSV export without academicSessions.csv.</summary>
    public long? AcademicSessionCount { get; }

    /// <summary>Whether the Roster Server honours OneRoster field selection (Honoured, Ignored, Refused; Off when classlink.api.fieldSelection is false; Unknown without a record to tell); null for a CSV export.</summary>
    public FieldSelectionSupport? FieldSelection { get; }

    /// <summary>What to check, for the usual setup mistakes.</summary>
    public string[] Hints { get; }

    public bool Succeeded { get; }
}
