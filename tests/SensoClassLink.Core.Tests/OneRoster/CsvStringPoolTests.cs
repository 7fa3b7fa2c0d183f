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

    [Fact]
    public void IdsKeptAsBytesAndAsCharsNeverMatchEachOther()
    {
        // Ids whose characters are all below U+0100 are kept one byte each; "ab\u0169" ends in a character whose low
        // byte is 'i', so it must be kept as chars and never be found for "abi" (nor the other way round).
        var pool = new CsvStringPool();
        string[] values = { "abi", "ab\u0169", "ab\u00e9", "ab\u2603", "\u00ff\u00ff", "\u01ff", "id-" + new string('x', 70_000), "id-" + new string('y', 140_000), "id-" + new string('y', 139_999) + "\u00e9" };
        var ids = values.Select(v => Get(pool, PoolMode.Intern, v)).ToList();
        Assert.Equal(values.Length, pool.Count);
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal(i, pool.IdOf(values[i]));
            Assert.Same(ids[i], Get(pool, PoolMode.Lookup, values[i]));
        }
        Assert.Equal(-1, pool.IdOf("ab\u0069\u0001"));
        Assert.Equal(-1, pool.IdOf("\u00ff"));
        Assert.Equal(-1, pool.IdOf("\u00ff\u01ff"));
        Assert.Equal(-1, pool.IdOf("ab\u00e8"));
        // Thousands of both kinds, spread over many chunks of each arena.
        for (int i = 0; i < 20_000; i++)
        {
            Assert.Equal(values.Length + 2 * i, pool.InternId("n\u00e9-" + i + new string('a', i % 40)));
            Assert.Equal(values.Length + 2 * i + 1, pool.InternId("w\u0416-" + i + new string('a', i % 40)));
        }
        for (int i = 0; i < 20_000; i += 13)
        {
            Assert.Equal(values.Length + 2 * i, pool.IdOf("n\u00e9-" + i + new string('a', i % 40)));
            Assert.Equal(values.Length + 2 * i + 1, pool.IdOf("w\u0416-" + i + new string('a', i % 40)));
        }
    }

    /// <summary>
    /// The REST rows look refs up from their UTF-8 bytes: for every ASCII value that must find exactly the id the
    /// characters find (present or absent, every length around the four-byte blocks, values kept as bytes or as chars),
    /// and anything with a byte above ASCII must be handed back to be decoded.
    /// </summary>
    [Fact]
    public void AnAsciiRefFindsFromItsBytesTheIdItsCharactersFind()
    {
        var pool = new CsvStringPool();
        var kept = new List<string> { "ab\u00e9", "ab\u2603", "w\u0416-1" };
        for (int length = 1; length <= 41; length++)
        {
            kept.Add(new string('k', length));
            kept.Add("cls-" + length.ToString().PadLeft(length, '0'));
        }
        foreach (string value in kept)
        {
            pool.InternId(value);
        }
        var asked = kept.Where(v => v.All(c => c < 0x80)).ToList();
        asked.AddRange(new[] { "", "ab", "ab\u0069", "k", new string('k', 42), "cls-", "CLS-1", "abe", "w-1", new string('k', 3) + "l" });
        foreach (string value in asked)
        {
            int id = pool.IdOfAscii(System.Text.Encoding.ASCII.GetBytes(value), out bool ascii);
            Assert.True(ascii, value);
            Assert.Equal(pool.IdOf(value), id);
        }
        Assert.Equal(-1, pool.IdOf("kk\u00e9"));
        foreach (string value in new[] { "ab\u00e9", "ab\u2603", "zo\u00eb", "\u0080" })
        {
            Assert.Equal(-1, pool.IdOfAscii(System.Text.Encoding.UTF8.GetBytes(value), out bool ascii));
            Assert.False(ascii, value);
        }
    }
}
