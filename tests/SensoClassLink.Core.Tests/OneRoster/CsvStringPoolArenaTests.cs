using SensoClassLink.Core.OneRoster;
using Xunit;

namespace SensoClassLink.Core.Tests.OneRoster;

/// <summary>The id-only modes the engine's CSV fast paths use: ids without a kept string, resolved without allocating.</summary>
public sealed class CsvStringPoolArenaTests
{
    private static string Get(CsvStringPool pool, PoolMode mode, string value)
    {
        var buffer = ("xx" + value + "yy").ToCharArray();
        return pool.Get(mode, buffer, 2, value.Length);
    }

    private static int IdOnly(CsvStringPool pool, string value)
    {
        pool.LastId = -1;
        Assert.Equal("", Get(pool, PoolMode.IdOnly, value));
        return pool.LastId;
    }

    [Fact]
    public void IdsInternedAsCharactersResolveAcrossManyArenaChunks()
    {
        var pool = new CsvStringPool();
        // About 40 chars each: 20,000 of them fill a dozen 64K-char chunks.
        var ids = new List<int>();
        for (int i = 0; i < 20_000; i++)
        {
            string value = $"usr-{i:D6}-{new string((char)('a' + i % 26), 29)}";
            Assert.Equal(value, Get(pool, PoolMode.InternChars, value));
            ids.Add(pool.LastId);
        }
        Assert.Equal(Enumerable.Range(0, 20_000), ids);
        for (int i = 0; i < 20_000; i++)
        {
            string value = $"usr-{i:D6}-{new string((char)('a' + i % 26), 29)}";
            Assert.Equal(i, IdOnly(pool, value));
            Assert.Equal(i, pool.IdOf(value));
            // Interning again finds the same id; a lookup with no kept string gets an equal new one.
            Get(pool, PoolMode.InternChars, value);
            Assert.Equal(i, pool.LastId);
            Assert.Equal(value, Get(pool, PoolMode.Lookup, value));
            Assert.Equal(i, pool.LastId);
        }
        Assert.Equal(20_000, pool.Count);
        Assert.Equal(-1, IdOnly(pool, "usr-999999"));
    }

    [Fact]
    public void IdOnlyFallsBackToTheTrimmedValueLikeTheRecordReaders()
    {
        var pool = new CsvStringPool();
        int plain = pool.InternId("cls-1");
        int padded = pool.InternId(" cls-2 ");
        Assert.Equal(plain, IdOnly(pool, "  cls-1\t"));
        Assert.Equal(padded, IdOnly(pool, " cls-2 "));
        Assert.Equal(-1, IdOnly(pool, "cls-2"));
        Assert.Equal(-1, IdOnly(pool, ""));
    }

    [Fact]
    public void AnIdLongerThanAChunkIsKeptWhole()
    {
        var pool = new CsvStringPool();
        string huge = new string('x', 200_000) + "end";
        string after = "after-the-huge-one";
        int small = pool.InternId("before");
        int big = pool.InternId(huge);
        int next = pool.InternId(after);
        Assert.Equal(new[] { 0, 1, 2 }, new[] { small, big, next });
        Assert.Equal(big, pool.IdOf(huge));
        Assert.Equal(-1, pool.IdOf(new string('x', 200_000) + "enD"));
        Assert.Equal(next, pool.IdOf(after));
        Assert.Equal(small, pool.IdOf("before"));
        Assert.Equal(huge, Get(pool, PoolMode.Intern, huge));
        Assert.Same(Get(pool, PoolMode.Intern, huge), Get(pool, PoolMode.Lookup, huge));
    }
}
