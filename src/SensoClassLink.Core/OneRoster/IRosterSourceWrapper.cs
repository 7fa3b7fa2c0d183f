namespace SensoClassLink.Core.OneRoster;

/// <summary>
/// A source that wraps another (a snapshot over a REST source). Capabilities meant to reach past the wrapper to the
/// original source, such as one teacher's targeted REST reads (<see cref="Rest.ISupportsTeacherScope"/>), are found
/// through it by <see cref="RosterCapabilities.Find{T}"/>.
/// </summary>
public interface IRosterSourceWrapper
{
    /// <summary>The source being wrapped.</summary>
    IRosterSource Inner { get; }
}

/// <summary>Looks a capability up on a source and, through <see cref="IRosterSourceWrapper"/>, on the sources it wraps.</summary>
public static class RosterCapabilities
{
    /// <summary>The outermost source in the chain that implements <typeparamref name="T"/>, or null.</summary>
    public static T? Find<T>(IRosterSource source)
        where T : class
    {
        for (IRosterSource? current = source; current is not null; current = (current as IRosterSourceWrapper)?.Inner)
        {
            if (current is T capability)
            {
                return capability;
            }
        }
        return null;
    }
}
