namespace SensoClassLink.Core.OneRoster.Rest;

/// <summary>
/// What a collection page is read as, decided when it is asked for: the tokens of the engine's pooled rows are noted
/// while the page is checked on the fetching thread, so the consuming thread never walks the records a second time.
/// </summary>
internal enum PageRows : byte
{
    /// <summary>Records (<see cref="RosterCollection{T}.Map"/>), read from the body by the consumer.</summary>
    Records,

    /// <summary>The engine's enrollment rows (<see cref="EnrollmentRowReader"/>).</summary>
    Enrollments,

    /// <summary>The engine's user rows (<see cref="UserRowReader"/>).</summary>
    Users,
}
