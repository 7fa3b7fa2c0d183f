using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace SensoClassLink.Core.Sync;

/// <summary>
/// Runs up to <c>maxInFlight</c> tasks at once and hands their results back strictly in the order they were
/// added, so a bulk import is concurrent against Senso yet its results come out in input order.
/// Not thread-safe: one caller (the pipeline thread) adds and drains.
/// </summary>
public sealed class OrderedWorkWindow<T>
{
    private readonly Queue<(object? Item, Task<T> Work)> _inFlight = new();
    private readonly int _maxInFlight;
    private readonly Action<Task>? _wait;

    /// <param name="wait">
    /// How the caller waits for a task it must have the result of (a cmdlet writes the engine's queued events meanwhile);
    /// null blocks until it ends.
    /// </param>
    public OrderedWorkWindow(int maxInFlight, Action<Task>? wait = null)
    {
        _maxInFlight = Math.Max(1, maxInFlight);
        _wait = wait;
    }

    public int Count => _inFlight.Count;

    /// <summary>
    /// Adds started <paramref name="work"/> (started by the caller, so work that depends on the order of
    /// requests sees them in order); returns the results that had to complete to make room, oldest first.
    /// </summary>
    public IReadOnlyList<(object? Item, T Result)> Add(object? item, Task<T> work)
    {
        _inFlight.Enqueue((item, work));
        var ready = new List<(object?, T)>();
        while (_inFlight.Count >= _maxInFlight || (_inFlight.Count > 0 && _inFlight.Peek().Work.IsCompleted))
        {
            var (head, task) = _inFlight.Dequeue();
            _wait?.Invoke(task);
            ready.Add((head, task.GetAwaiter().GetResult()));
        }
        return ready;
    }

    /// <summary>Waits for every remaining task and returns the results in order.</summary>
    public IEnumerable<(object? Item, T Result)> Drain()
    {
        while (_inFlight.Count > 0)
        {
            var (head, task) = _inFlight.Dequeue();
            _wait?.Invoke(task);
            yield return (head, task.GetAwaiter().GetResult());
        }
    }
}
