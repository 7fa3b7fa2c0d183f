using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using SensoClassLink.Core;

namespace SensoClassLink;

/// <summary>
/// The host end of <see cref="IEngineEventSink"/> for one command. Write* may only be called on the pipeline thread:
/// an event raised there is written at once (after any queued earlier ones, so the order is kept); an event raised on
/// another thread (HTTP callbacks, parallel work) is queued and written by <see cref="Pump"/>, which the pipeline thread
/// runs while it waits for engine work.
/// </summary>
internal sealed class PipelineEventChannel : IEngineEventSink, IDisposable
{
    private readonly Cmdlet _cmdlet;
    private readonly int _pipelineThread = Environment.CurrentManagedThreadId;
    private readonly ConcurrentQueue<EngineEvent> _pending = new();
    private readonly AutoResetEvent _signal = new(false);

    /// <summary>Create it on the pipeline thread: that thread is the one that writes.</summary>
    public PipelineEventChannel(Cmdlet cmdlet) => _cmdlet = cmdlet;

    /// <summary>Where progress events go while engine work runs; null drops them (the command shows no progress then).</summary>
    public ProgressReporter? ProgressTarget { get; set; }

    public void Verbose(string message) => Raise(new EngineEvent(EngineEventKind.Verbose, message, 0));

    public void Warning(string message) => Raise(new EngineEvent(EngineEventKind.Warning, message, 0));

    public void Progress(string status, int percentComplete) => Raise(new EngineEvent(EngineEventKind.Progress, status, percentComplete));

    /// <summary>Writes queued events here, on the pipeline thread, until <paramref name="work"/> has ended, then the last of them.</summary>
    public void Pump(Task work)
    {
        if (!work.IsCompleted)
        {
            var handles = new[] { _signal, ((IAsyncResult)work).AsyncWaitHandle };
            while (!work.IsCompleted)
            {
                WaitHandle.WaitAny(handles);
                Drain();
            }
        }
        Drain();
    }

    public void Dispose() => _signal.Dispose();

    private void Raise(EngineEvent engineEvent)
    {
        if (Environment.CurrentManagedThreadId == _pipelineThread)
        {
            Drain();
            Write(engineEvent);
            return;
        }
        _pending.Enqueue(engineEvent);
        _signal.Set();
    }

    private void Drain()
    {
        while (_pending.TryDequeue(out var engineEvent))
        {
            Write(engineEvent);
        }
    }

    private void Write(EngineEvent engineEvent)
    {
        switch (engineEvent.Kind)
        {
            case EngineEventKind.Verbose:
                _cmdlet.WriteVerbose(engineEvent.Text);
                break;
            case EngineEventKind.Warning:
                _cmdlet.WriteWarning(engineEvent.Text);
                break;
            default:
                ProgressTarget?.Report(engineEvent.Text, engineEvent.Percent);
                break;
        }
    }

    private enum EngineEventKind
    {
        Verbose,
        Warning,
        Progress,
    }

    private readonly struct EngineEvent
    {
        public EngineEvent(EngineEventKind kind, string text, int percent)
        {
            Kind = kind;
            Text = text;
            Percent = percent;
        }

        public EngineEventKind Kind { get; }
        public string Text { get; }
        public int Percent { get; }
    }
}
