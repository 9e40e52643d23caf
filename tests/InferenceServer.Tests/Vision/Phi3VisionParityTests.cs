using InferenceServer.ModelForge.Vision;
using SkiaSharp;

namespace InferenceServer.Tests.Vision;

/// <summary>
/// Fidelity with ONNX Runtime GenAI 0.18 on the same forge phi3v folder and picture, through the serving core: our HD
/// transform and placeholder expansion give GenAI's prompt ids (image tokens in the same places), and the scheduler's greedy
/// tokens (embedding graph before each run, KV rows, batched decode) are GenAI's <c>Generator</c>'s.
/// </summary>
public sealed class Phi3VisionParityTests : IClassFixture<Phi3VisionFixture>
{
    private readonly Phi3VisionFixture _fixture;

    public Phi3VisionParityTests(Phi3VisionFixture fixture) => _fixture = fixture;

    public static TheoryData<string, uint, int, int> Pictures => new()
    {
        { "red", 0xFFD02020, 64, 48 },
        { "green", 0xFF20B040, 336, 336 },
        { "blue", 0xFF3040E0, 40, 90 },
        { "red", 0xFFC03030, 500, 120 },
    };

    [Theory]
    [MemberData(nameof(Pictures))]
    public async Task OurTokensEqualGenAis(string colour, uint argb, int width, int height)
    {
        var png = TestImages.Png(new SKColor(argb), width, height);
        var genAi = GenAiPhi3Vision.Generate(_fixture.Folder, Phi3VisionFixture.Prompt, [png], steps: 16);

        using var model = Phi3VisionServing.Load(_fixture.Folder);
        var (ids, tokens, _) = await Phi3VisionServing.GreedyAsync(model, Phi3VisionFixture.Prompt, [png]);

        Assert.Equal(Placeholders(genAi.Prompt), Placeholders(ids));
        Assert.Equal(WithoutEos(model, genAi.Tokens), tokens);
        Assert.Equal(VisionScripts.Answer(colour), model.Tokenizer.Decode(tokens.ToArray(), skipSpecialTokens: true));
    }

    [Fact]
    public async Task TwoPicturesInOnePromptMatchGenAiAndTheLastOneIsNamed()
    {
        const string prompt = "<｜begin▁of▁sentence｜><｜User｜><|image_1|>\n<|image_2|>\nWhat colour is the last one?<｜Assistant｜></think>";
        byte[][] pngs = [TestImages.Png(SKColors.Red, 60, 30), TestImages.Png(new SKColor(0xFF20B040), 30, 60)];
        var genAi = GenAiPhi3Vision.Generate(_fixture.Folder, prompt, pngs, steps: 16);

        using var model = Phi3VisionServing.Load(_fixture.Folder);
        var (ids, tokens, _) = await Phi3VisionServing.GreedyAsync(model, prompt, pngs);

        Assert.Equal(Placeholders(genAi.Prompt), Placeholders(ids));
        Assert.Equal(WithoutEos(model, genAi.Tokens), tokens);
        Assert.Equal(VisionScripts.Answer("green"), model.Tokenizer.Decode(tokens.ToArray(), skipSpecialTokens: true));
    }

    [Fact]
    public async Task WithoutAPictureTheVisionFolderGivesGenAisTextAnswer()
    {
        var genAi = GenAiPhi3Vision.Generate(_fixture.Folder, Phi3VisionFixture.TextOnlyPrompt, [], steps: 24);

        using var model = Phi3VisionServing.Load(_fixture.Folder);
        var (_, tokens, _) = await Phi3VisionServing.GreedyAsync(model, Phi3VisionFixture.TextOnlyPrompt, [], maxTokens: 24);

        Assert.Equal(WithoutEos(model, genAi.Tokens), tokens);
    }

    [Fact]
    public void TwoPicturesExpandInTheirOwnOrder()
    {
        using var model = Phi3VisionServing.Load(_fixture.Folder, slots: 1);
        var wide = Phi3VisionServing.Decode(TestImages.Png(SKColors.Red, 80, 40));
        var square = Phi3VisionServing.Decode(TestImages.Png(SKColors.Blue, 50, 50));
        var (ids, images) = model.Vision!.Encode("<|image_2|>x<|image_1|>", [wide, square]);
        var squareTokens = ids.TakeWhile(i => i < 0).Count();
        Assert.Equal(17 * 144 + 1 + 5 * 12, squareTokens);
        Assert.Equal(images.Tokens, ids.Count(i => i < 0));
        Assert.Equal(2, images.Count);
    }

    /// <summary>GenAI's ids with each image token as −1: ours carry ids derived from the image's content instead of −N (see ImageTokenIds).</summary>
    private static int[] Placeholders(IEnumerable<int> ids) => ids.Select(i => Math.Max(i, -1)).ToArray();

    private static List<int> WithoutEos(Engine.Models.TextModel model, List<int> tokens) =>
        tokens.Where(t => !model.Config.EosTokenIds.Contains(t)).ToList();
}
