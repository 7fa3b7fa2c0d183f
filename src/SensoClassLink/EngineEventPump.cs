using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace SensoClassLink;

/// <summary>
/// Runs engine work off the pipeline thread and carries the engine's callbacks (verbose lines, warnings,
/// progress), which arrive on any thread, back to the pipeline thread: Write* may only be called there.
/// </summary>
internal sealed class EngineEventPump
{
    private readonly ConcurrentQueue<Action> _pending = new();
    private readonly AutoResetEvent _signal = new(false);

    /// <summary>Queues a callback to run on the pipeline thread; callable from any thread.</summary>
    public void Post(Action action)
    {
        _pending.Enqueue(action);
        _signal.Set();
    }

    /// <summary>Runs <paramref name="work"/> on the thread pool, running posted callbacks here until it ends; returns or throws its result.</summary>
    public T Run<T>(Func<Task<T>> work)
    {
        var task = Task.Run(work);
        while (!task.IsCompleted)
        {
            _signal.WaitOne(50);
            Drain();
        }
        Drain();
        return task.GetAwaiter().GetResult();
    }

    private void Drain()
    {
        while (_pending.TryDequeue(out var action))
        {
            action();
        }
    }
}
