namespace SensoClassLink.Core.OneRoster;

/// <summary>
/// A source whose collections can be read again cheaply and give the same records each time (a local CSV export, a
/// <see cref="RosterSnapshot"/>). A command that reads the roster more than once reads such a source directly; any
/// other source is snapshotted on its first read. A decorator over such a source implements it too.
/// </summary>
public interface IRepeatableRosterSource : IRosterSource
{
}
