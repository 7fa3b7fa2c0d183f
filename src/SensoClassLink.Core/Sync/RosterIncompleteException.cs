using System;
using SensoClassLink.Core.OneRoster;

namespace SensoClassLink.Core.Sync;

/// <summary>
/// The one answer of every command to a roster that could not be read to its end (a malformed quote swallowed the
/// rest of a CSV file): nothing is written, queued group syncs stay queued. Raised by the guard stage, before any write.
/// </summary>
public sealed class RosterIncompleteException : Exception
{
    /// <summary>The stable error id every command reports this failure with.</summary>
    public const string ErrorId = "RosterIncomplete";

    public RosterIncompleteException(DataQualityWarning truncation)
        : base($"The roster could not be read completely ({truncation}), so nothing was written; queued group syncs stay queued. Fix the file and run again.")
    {
        Truncation = truncation;
    }

    /// <summary>Where the read stopped (file and line; never row values).</summary>
    public DataQualityWarning Truncation { get; }
}
