using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using SensoClassLink.Core.OneRoster;

namespace SensoClassLink.Core.Eligibility;

/// <summary>
/// sourcedId to dense index (user or class number). For a pooled source (<see cref="IPooledRosterSource"/>) the keys are the reader's pool ids, which are
/// unique per content, so the ids are not held a second time in a dictionary of strings: an int per pool id replaces
/// a 24-byte dictionary entry per record (at 10M enrollments, 1.45M of them). Any pooled source (CSV, REST) is keyed
/// this way; other sources use a dictionary.
/// </summary>
internal sealed class SourcedIdIndex
{
    private readonly IPooledRosterSource? _pool;
    private readonly Dictionary<string, int>? _byId;
    /// <summary>Per pool id: the index + 1, 0 where none (so a new array needs no filling).</summary>
    private int[] _byPoolId = Array.Empty<int>();

    public SourcedIdIndex(IRosterSource source)
    {
        _pool = source as IPooledRosterSource;
        if (_pool is null)
        {
            _byId = new Dictionary<string, int>(StringComparer.Ordinal);
        }
    }

    /// <summary>Adds <paramref name="sourcedId"/> with <paramref name="value"/>; false when it is already there.</summary>
    [MethodImpl(HotPath.Optimize)]
    public bool TryAdd(string sourcedId, int value)
    {
        if (_byId is not null)
        {
            if (_byId.ContainsKey(sourcedId))
            {
                return false;
            }
            _byId.Add(sourcedId, value);
            return true;
        }
        int poolId = _pool!.PoolIdOf(sourcedId);
        if (poolId >= _byPoolId.Length)
        {
            Array.Resize(ref _byPoolId, Math.Max(poolId + 1, Math.Max(1024, _byPoolId.Length * 2)));
        }
        if (_byPoolId[poolId] != 0)
        {
            return false;
        }
        _byPoolId[poolId] = value + 1;
        return true;
    }

    /// <summary>The index of <paramref name="sourcedId"/>, or -1.</summary>
    public int IndexOf(string sourcedId)
    {
        if (_byId is not null)
        {
            return _byId.TryGetValue(sourcedId, out int value) ? value : -1;
        }
        int poolId = _pool!.PoolIdIfAny(sourcedId);
        return poolId >= 0 && poolId < _byPoolId.Length ? _byPoolId[poolId] - 1 : -1;
    }

    /// <summary>Per pool id of <paramref name="source"/> (the one this index was built from): the index, -1 where none.</summary>
    public int[] ByPoolId(IPooledRosterSource source)
    {
        if (!ReferenceEquals(source, _pool))
        {
            throw new InvalidOperationException("Pool ids belong to the source the index was built from.");
        }
        var map = new int[source.PoolSize];
        int known = Math.Min(map.Length, _byPoolId.Length);
        for (int i = 0; i < known; i++)
        {
            map[i] = _byPoolId[i] - 1;
        }
        for (int i = known; i < map.Length; i++)
        {
            map[i] = -1;
        }
        return map;
    }
}
