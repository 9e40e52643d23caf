using InferenceServer.Engine.Generation;

namespace InferenceServer.Tests.Generation;

public sealed class StopStringMatcherTests
{
    [Fact]
    public void HoldsBackAPartialStopStringAndCutsBeforeTheWholeOne()
    {
        var m = new StopStringMatcher(["STOP"]);
        Assert.Equal("Hello ", m.Push("Hello S"));
        Assert.Equal(string.Empty, m.Push("T"));
        Assert.Equal(string.Empty, m.Push("OP and more"));
        Assert.True(m.Stopped);
        Assert.Equal(string.Empty, m.Flush());
    }

    [Fact]
    public void ReleasesHeldTextWhenItTurnsOutNotToBeAStopString()
    {
        var m = new StopStringMatcher(["STOP"]);
        Assert.Equal("a", m.Push("aST"));
        Assert.Equal("STx", m.Push("x"));
        Assert.Equal("b", m.Push("b"));
        Assert.Equal("S", m.Push("S") + m.Flush());
        Assert.False(m.Stopped);
    }

    [Fact]
    public void TheEarliestOfSeveralStopStringsWins()
    {
        var m = new StopStringMatcher(["world", "lo w"]);
        Assert.Equal("Hel", m.Push("Hello world"));
        Assert.True(m.Stopped);
    }

    [Fact]
    public void WithoutStopStringsTextPassesThrough()
    {
        var m = new StopStringMatcher([]);
        Assert.Equal("abc", m.Push("abc"));
        Assert.Equal(string.Empty, m.Flush());
    }
}
