using InferenceServer.ModelForge.Vision;
using SkiaSharp;

namespace InferenceServer.Tests.Vision;

/// <summary>
/// Image tokens carry ids derived from the image's content, so the prefix cache reuses a prompt's KV for the same image
/// and prompt (same output) and never for another image in the same place.
/// </summary>
public sealed class Phi3VisionPrefixCacheTests : IClassFixture<Phi3VisionFixture>
{
    private readonly Phi3VisionFixture _fixture;

    public Phi3VisionPrefixCacheTests(Phi3VisionFixture fixture) => _fixture = fixture;

    [Fact]
    public void AnImagesTokensAreKeyedByItsPixels()
    {
        using var model = Phi3VisionServing.Load(_fixture.Folder, slots: 1);
        var red = Phi3VisionServing.Decode(TestImages.Png(SKColors.Red));
        var redAgain = Phi3VisionServing.Decode(TestImages.Png(SKColors.Red));
        var redder = Phi3VisionServing.Decode(TestImages.Png(new SKColor(0xFFFE0000)));
        var (first, _) = model.Vision!.Encode(Phi3VisionFixture.Prompt, [red]);
        var (second, _) = model.Vision.Encode(Phi3VisionFixture.Prompt, [redAgain]);
        var (other, _) = model.Vision.Encode(Phi3VisionFixture.Prompt, [redder]);

        Assert.Equal(first, second);
        Assert.Equal(first.Length, other.Length);
        Assert.NotEqual(first, other);
        Assert.All(Enumerable.Range(0, first.Length).Where(i => first[i] < 0), i => Assert.NotEqual(first[i], other[i]));
    }

    [Fact]
    public async Task TheSameImageAndPromptHitTheCacheAndAnotherImageNever()
    {
        using var model = Phi3VisionServing.Load(_fixture.Folder, slots: 1, prefixMiB: 64);
        var red = TestImages.Png(new SKColor(0xFFD02020));
        var blue = TestImages.Png(new SKColor(0xFF3040E0));

        var cold = await Phi3VisionServing.GreedyAsync(model, Phi3VisionFixture.Prompt, [red]);
        var warm = await Phi3VisionServing.GreedyAsync(model, Phi3VisionFixture.Prompt, [red]);
        var other = await Phi3VisionServing.GreedyAsync(model, Phi3VisionFixture.Prompt, [blue]);

        Assert.Equal(0, cold.Finished.Usage.CachedPromptTokens);
        Assert.True(warm.Finished.Usage.CachedPromptTokens > 1000, $"{warm.Finished.Usage.CachedPromptTokens} tokens from the cache");
        Assert.Equal(cold.Tokens, warm.Tokens);
        Assert.Equal(0, other.Finished.Usage.CachedPromptTokens);
        Assert.Equal(VisionScripts.Answer("blue"), model.Tokenizer.Decode(other.Tokens.ToArray(), skipSpecialTokens: true));
    }
}
