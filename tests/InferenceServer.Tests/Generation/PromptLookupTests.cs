using InferenceServer.Engine.Generation;

namespace InferenceServer.Tests.Generation;

/// <summary>Prompt-lookup drafting: the longest n-gram's latest earlier occurrence, its continuation, and nothing on no match.</summary>
public sealed class PromptLookupTests
{
    [Fact]
    public void DraftsWhatFollowedTheLatestEarlierOccurrenceOfTheLongestNgram()
    {
        // 1 2 3 | 9 2 3 8 7 | 5 2 3: "2 3" last occurred before 8 7; the 3-gram "5 2 3" never did.
        var lookup = new PromptLookup([1, 2, 3, 4, 4, 9, 2, 3, 8, 7, 5, 2], ngram: 3);
        lookup.Add(3);
        var draft = new int[3];

        Assert.Equal(3, lookup.Draft(draft));
        Assert.Equal([8, 7, 5], draft);
    }

    [Fact]
    public void ALongerNgramWinsOverAMoreRecentShorterOne()
    {
        // "6 2 3" occurs once (then 4); "2 3" occurs later too (then 9).
        var lookup = new PromptLookup([6, 2, 3, 4, 1, 2, 3, 9, 6, 2], ngram: 3);
        lookup.Add(3);
        var draft = new int[2];

        Assert.Equal(2, lookup.Draft(draft));
        Assert.Equal([4, 1], draft);
    }

    [Fact]
    public void ALoopDraftsWholePeriodsPastTheEndOfTheText()
    {
        var lookup = new PromptLookup([5, 7, 8, 7, 8], ngram: 2);
        var draft = new int[5];

        Assert.Equal(5, lookup.Draft(draft));
        Assert.Equal([7, 8, 7, 8, 7], draft);
    }

    [Fact]
    public void NothingMatchingDraftsNothing()
    {
        var lookup = new PromptLookup([1, 2, 3], ngram: 3);
        lookup.Add(4);

        Assert.Equal(0, lookup.Draft(new int[4]));
        Assert.Equal(0, new PromptLookup([1], ngram: 3).Draft(new int[4]));
    }
}
