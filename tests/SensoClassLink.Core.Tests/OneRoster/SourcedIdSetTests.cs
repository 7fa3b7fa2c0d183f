using SensoClassLink.Core.OneRoster.Rest;
using Xunit;

namespace SensoClassLink.Core.Tests.OneRoster;

public sealed class SourcedIdSetTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(250_000)]
    public void EveryIdIsNewOnceThroughGrowthOrPresizing(int presize)
    {
        var set = new SourcedIdSet();
        set.EnsureCapacity(presize);
        for (int i = 0; i < 200_000; i++)
        {
            Assert.True(set.Add("e-" + i));
        }
        for (int i = 0; i < 200_000; i += 997)
        {
            Assert.False(set.Add("e-" + i));
        }
        Assert.Equal(200_000, set.Count);
        Assert.True(set.AddHash(0));
        Assert.False(set.AddHash(0));
        Assert.Equal(SourcedIdSet.Hash("x"), SourcedIdSet.Hash("x".AsSpan()));
    }

    /// <summary>An id hashed from its bytes must land where the same id decoded does, or a repeat across the two paths would be kept twice.</summary>
    [Theory]
    [InlineData("")]
    [InlineData("enr-0")]
    [InlineData("8f14e45f-ceea-467f-a9c6-2b5c1e0e7b3a")]
    [InlineData("~!@#$%^&*()_+{}|:<>?`-=[];',./ \t\u007f")]
    public void AnAsciiIdHashesTheSameFromItsBytesAsFromItsCharacters(string id)
    {
        Assert.True(SourcedIdSet.TryHashAscii(System.Text.Encoding.UTF8.GetBytes(id), out ulong fromBytes));
        Assert.Equal(SourcedIdSet.Hash(id), fromBytes);
    }

    [Theory]
    [InlineData("zoë")]
    [InlineData("\u0080")]
    public void AnIdWithBytesAboveAsciiIsLeftToBeDecoded(string id) =>
        Assert.False(SourcedIdSet.TryHashAscii(System.Text.Encoding.UTF8.GetBytes(System.Text.RegularExpressions.Regex.Unescape(id)), out _));

    [Fact]
    public void APageOfHashesIsNewAtTheFirstPlaceOfEachIdWithinThePageAndAcrossPages()
    {
        var set = new SourcedIdSet();
        ulong[] first = { SourcedIdSet.Hash("a"), SourcedIdSet.Hash("b"), SourcedIdSet.Hash("a"), 0, 0 };
        var fresh = new bool[8];
        set.AddHashes(first, fresh, 4); // the fifth is past the count: not added
        Assert.Equal(new[] { true, true, false, true }, fresh.Take(4));
        ulong[] second = { SourcedIdSet.Hash("c"), SourcedIdSet.Hash("b"), 0 };
        set.AddHashes(second, fresh, 3);
        Assert.Equal(new[] { true, false, false }, fresh.Take(3));
        Assert.Equal(4, set.Count);
    }

    [Fact]
    public void IdsSeenBeforeThePullsTotalWasKnownAreKeptWhenTheTableIsSized()
    {
        // The first page arrives before X-Total-Count sizes the table: its ids must still count as seen afterwards.
        var set = new SourcedIdSet();
        for (int i = 0; i < 5_000; i++)
        {
            Assert.True(set.Add("e-" + i));
        }
        set.EnsureCapacity(300_000);
        set.EnsureCapacity(1_000);
        for (int i = 0; i < 5_000; i++)
        {
            Assert.False(set.Add("e-" + i));
        }
        for (int i = 5_000; i < 300_000; i++)
        {
            Assert.True(set.Add("e-" + i));
        }
        Assert.Equal(300_000, set.Count);
    }
}
