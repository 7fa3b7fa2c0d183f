using System;
using System.Collections.Generic;

namespace SensoClassLink.Core.Configuration;

/// <summary>Parameters that cannot go together, or one that needs another: every problem, named in one message.</summary>
public sealed class InvalidParameterCombinationException : ArgumentException
{
    public InvalidParameterCombinationException(IReadOnlyList<string> problems)
        : base(string.Join(" ", problems))
    {
        Problems = problems;
    }

    /// <summary>Each problem on its own, in the order the message names them.</summary>
    public IReadOnlyList<string> Problems { get; }
}
