namespace SensoClassLink.Core;

/// <summary>
/// The engine's one channel to its host: diagnostic lines, warnings and progress. The engine may call it from any
/// thread (HTTP callbacks, parallel work), so every implementation is thread-safe; the host decides where and when the
/// events are shown (a cmdlet writes them on its pipeline thread). Nothing personal or secret is ever sent through it:
/// no roster values, tokens, secrets or query strings.
/// </summary>
public interface IEngineEventSink
{
    /// <summary>A diagnostic line (requests, retries, timings).</summary>
    void Verbose(string message);

    /// <summary>Something the user should know that does not stop the work.</summary>
    void Warning(string message);

    /// <summary>How far the work is: a status and 0..100, or -1 when the total is unknown.</summary>
    void Progress(string status, int percentComplete);
}

/// <summary>Where engine events go when nobody listens.</summary>
public static class EngineEvents
{
    /// <summary>A sink that drops every event.</summary>
    public static readonly IEngineEventSink None = new Discarding();

    private sealed class Discarding : IEngineEventSink
    {
        public void Verbose(string message)
        {
        }

        public void Warning(string message)
        {
        }

        public void Progress(string status, int percentComplete)
        {
        }
    }
}
