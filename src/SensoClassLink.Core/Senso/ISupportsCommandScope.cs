namespace SensoClassLink.Core.Senso;

/// <summary>
/// A provider that hands each command its own view over one shared connection: its own bound on requests in flight
/// (the command's -ThrottleLimit) and its own event sink, while the HTTP client, tokens and caches stay shared.
/// The Senso API provider implements it; the local tenant needs neither bound nor events.
/// </summary>
public interface ISupportsCommandScope
{
    /// <summary>The view. Disposing it releases only what the view holds, never the shared provider.</summary>
    ISensoProvider ForCommand(int maxConcurrency, IEngineEventSink events);
}
