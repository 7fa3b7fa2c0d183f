using SensoClassLink.Core.OneRoster;
using Xunit;

namespace SensoClassLink.Core.Tests.OneRoster;

public sealed class CsvStringPoolTests
{
    private static string Get(CsvStringPool pool, PoolMode mode, string value)
    {
        var buffer = ("xx" + value + "yy").ToCharArray();
        return pool.Get(mode, buffer, 2, value.Length);
    }

    [Fact]
    public void InternedIdsAreReusedByLookupsAndMissesAreNotKept()
    {
        var pool = new CsvStringPool();
        var ids = Enumerable.Range(0, 5000).Select(i => Get(pool, PoolMode.Intern, "stu-" + i)).ToList();

        for (int i = 0; i < ids.Count; i++)
        {
            Assert.Same(ids[i], Get(pool, PoolMode.Lookup, "stu-" + i));
        }
        string miss = Get(pool, PoolMode.Lookup, "ghost");
        Assert.Equal("ghost", miss);
        Assert.NotSame(miss, Get(pool, PoolMode.Lookup, "ghost"));
    }

    [Fact]
    public void IdsAcrossManyPagesResolveAndClearStartsThePoolAgain()
    {
        var pool = new CsvStringPool();
        // Per-id data lives in pages of 8,192 ids: cross several, with the table grown many times.
        var ids = Enumerable.Range(0, 30_000).Select(i => Get(pool, PoolMode.Intern, "id-" + i)).ToList();
        Assert.Equal(30_000, pool.Count);
        for (int i = 0; i < ids.Count; i += 7)
        {
            Assert.Equal(i, pool.IdOf("id-" + i));
            Assert.Same(ids[i], Get(pool, PoolMode.Lookup, "id-" + i));
        }
        Assert.Equal(-1, pool.IdOf("id-30000"));

        pool.Clear();
        Assert.Equal(0, pool.Count);
        Assert.Equal(-1, pool.IdOf("id-5"));
        Assert.Equal(0, pool.InternId("id-5"));
        Assert.Equal("id-5", ids[5]); // strings handed out before stay valid
        Assert.Equal(1, pool.InternId("other"));
        Assert.Equal(0, pool.IdOf("id-5"));
    }

    [Fact]
    public void RecentValuesAreSharedAndNeverConfused()
    {
        var pool = new CsvStringPool();
        string first = Get(pool, PoolMode.Recent, "student");
        Assert.Same(first, Get(pool, PoolMode.Recent, "student"));
        // Far more distinct values than cache slots: every value must still come back exactly.
        for (int i = 0; i < 5000; i++)
        {
            Assert.Equal("2025-" + i, Get(pool, PoolMode.Recent, "2025-" + i));
        }
        Assert.Equal("", Get(pool, PoolMode.Lookup, ""));
        Assert.Equal("plain", Get(pool, PoolMode.None, "plain"));
    }
}
