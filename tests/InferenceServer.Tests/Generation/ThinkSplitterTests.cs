using InferenceServer.Engine.Generation;

namespace InferenceServer.Tests.Generation;

public sealed class ThinkSplitterTests
{
    private static (string Reasoning, string Content) Run(ThinkSplitter s, params string[] pieces)
    {
        var reasoning = string.Empty;
        var content = string.Empty;
        foreach (var p in pieces)
        {
            var (r, c) = s.Push(p);
            reasoning += r;
            content += c;
        }

        var (fr, fc) = s.Flush();
        return (reasoning + fr, content + fc);
    }

    [Fact]
    public void TagsSplitAcrossTokensNeverLeak()
    {
        var (r, c) = Run(new ThinkSplitter(false), "<th", "ink>Let me", " think.</", "think>", "\n\nThe answer.");
        Assert.Equal("Let me think.", r);
        Assert.Equal("The answer.", c);
    }

    [Fact]
    public void APromptThatOpenedTheThinkBlockStartsInReasoning()
    {
        var (r, c) = Run(new ThinkSplitter(true), "Hmm.", "</think>", "Done");
        Assert.Equal("Hmm.", r);
        Assert.Equal("Done", c);
    }

    [Fact]
    public void TextWithoutTagsIsContent()
    {
        var (r, c) = Run(new ThinkSplitter(false), "a < b", " and <thin", "g>");
        Assert.Equal(string.Empty, r);
        Assert.Equal("a < b and <thing>", c);
    }

    [Fact]
    public void AnUnclosedThinkBlockStaysReasoning()
    {
        var (r, c) = Run(new ThinkSplitter(true), "still thinking </thi");
        Assert.Equal("still thinking </thi", r);
        Assert.Equal(string.Empty, c);
    }
}
