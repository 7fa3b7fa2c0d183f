using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using SensoClassLink.Core.OneRoster;

namespace SensoClassLink.Core.Eligibility;

/// <summary>
/// sourcedId to dense index (user or class number). For a pooled source (<see cref="IPooledRosterSource"/>) the keys are the reader's pool ids, which are
/// unique per content, so the ids are not held a second time in a dictionary of strings: an int per pool id replaces
/// a 24-byte dictionary entry per record (at 10M enrollments, 1.45M of them). The array starts at the first pool id
/// this index meets (classes are pooled after the users: their ids start at about 1.15M at 10M enrollments), so it
/// holds an int per id of its own kind only. Any pooled source (CSV, REST) is keyed this way; other sources use a
/// dictionary.
/// </summary>
internal sealed class SourcedIdIndex
{
    private readonly IPooledRosterSource? _pool;
    private readonly Dictionary<string, int>? _byId;
    /// <summary>Per pool id from <see cref="_base"/> on: the index + 1, 0 where none (so a new array needs no filling).</summary>
    private int[] _byPoolId = Array.Empty<int>();
    /// <summary>The pool id of <c>_byPoolId[0]</c>.</summary>
    private int _base;

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
        if (_byPoolId.Length == 0)
        {
            _base = poolId;
        }
        else if (poolId < _base)
        {
            // A sourcedId pooled before this kind's first (a class sharing an org's or a user's id): shift down.
            var shifted = new int[_byPoolId.Length + (_base - poolId)];
            Array.Copy(_byPoolId, 0, shifted, _base - poolId, _byPoolId.Length);
            _byPoolId = shifted;
            _base = poolId;
        }
        int slot = poolId - _base;
        if (slot >= _byPoolId.Length)
        {
            Array.Resize(ref _byPoolId, Math.Max(slot + 1, Math.Max(1024, _byPoolId.Length * 2)));
        }
        if (_byPoolId[slot] != 0)
        {
            return false;
        }
        _byPoolId[slot] = value + 1;
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
        return poolId >= 0 ? Lookup(poolId) : -1;
    }

    /// <summary>The pool-id map of <paramref name="source"/> (the one this index was built from), read without a copy.</summary>
    public PoolIdMap ByPoolId(IPooledRosterSource source)
    {
        if (!ReferenceEquals(source, _pool))
        {
            throw new InvalidOperationException("Pool ids belong to the source the index was built from.");
        }
        return new PoolIdMap(_byPoolId, _base);
    }

    /// <summary>Forgets the pool ids (the source is releasing its pool): lookups answer -1 from now on.</summary>
    public void Release()
    {
        _byPoolId = Array.Empty<int>();
        _base = 0;
        _byId?.Clear();
    }

    private int Lookup(int poolId) => new PoolIdMap(_byPoolId, _base).IndexOf(poolId);
}

/// <summary>A <see cref="SourcedIdIndex"/>'s pool id → index table, for the engine's per-row loop.</summary>
internal readonly struct PoolIdMap
{
    private readonly int[] _byPoolId;
    private readonly int _base;

    public PoolIdMap(int[] byPoolId, int @base)
    {
        _byPoolId = byPoolId;
        _base = @base;
    }

    /// <summary>The index of a pool id, or -1 (also for -1, an unknown reference).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int IndexOf(int poolId)
    {
        // One unsigned compare covers below the base, beyond the table and the -1 of an unknown id.
        uint slot = unchecked((uint)(poolId - _base));
        return poolId >= 0 && slot < (uint)_byPoolId.Length ? _byPoolId[slot] - 1 : -1;
    }
}
