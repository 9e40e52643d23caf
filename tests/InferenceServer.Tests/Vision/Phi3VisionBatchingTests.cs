using InferenceServer.ModelForge.Vision;
using SkiaSharp;

namespace InferenceServer.Tests.Vision;

/// <summary>
/// Image requests share the scheduler with each other and with text: prefilled together in one right-padded run, or
/// chunk by chunk with an image cut across chunks, each row gets its own pictures' features and the tokens it gets alone.
/// </summary>
public sealed class Phi3VisionBatchingTests : IClassFixture<Phi3VisionFixture>
{
    private readonly Phi3VisionFixture _fixture;

    public Phi3VisionBatchingTests(Phi3VisionFixture fixture) => _fixture = fixture;

    [Theory]
    [InlineData(8192)] // all four prompts in one fresh prefill run
    [InlineData(300)] // each image cut across several chunks
    public async Task EachRowNamesItsOwnPictureBesideOthers(int chunk)
    {
        List<int> alone;
        using (var solo = Phi3VisionServing.Load(_fixture.Folder, slots: 1))
        {
            alone = (await Phi3VisionServing.GreedyAsync(solo, Phi3VisionFixture.Prompt, [TestImages.Png(SKColors.Blue)])).Tokens;
        }

        using var model = Phi3VisionServing.Load(_fixture.Folder, slots: 4, chunk: chunk);
        string[] colours = ["red", "blue", "green"];
        uint[] argb = [0xFFD02020, 0xFF3040E0, 0xFF20B040];
        var handles = colours
            .Select((_, i) => Phi3VisionServing.Submit(model, Phi3VisionFixture.Prompt, [TestImages.Png(new SKColor(argb[i]), 64 + (i * 40), 48)]).Handle)
            .Append(Phi3VisionServing.Submit(model, Phi3VisionFixture.TextOnlyPrompt, [], maxTokens: 12).Handle)
            .ToList();
        try
        {
            var results = await Task.WhenAll(handles.Select(Phi3VisionServing.ReadAsync));
            for (var i = 0; i < colours.Length; i++)
            {
                Assert.Equal(VisionScripts.Answer(colours[i]), model.Tokenizer.Decode(results[i].Tokens.ToArray(), skipSpecialTokens: true));
            }

            Assert.Equal(alone, results[1].Tokens);
            Assert.StartsWith("Hello!", model.Tokenizer.Decode(results[3].Tokens.ToArray(), skipSpecialTokens: true), StringComparison.Ordinal);
        }
        finally
        {
            foreach (var h in handles)
            {
                h.Dispose();
            }
        }
    }
}
