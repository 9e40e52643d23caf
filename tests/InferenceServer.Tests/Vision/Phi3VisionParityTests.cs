using InferenceServer.Engine.Images;
using InferenceServer.Engine.Vision;
using InferenceServer.ModelForge.Vision;
using Microsoft.ML.OnnxRuntime;
using SkiaSharp;

namespace InferenceServer.Tests.Vision;

/// <summary>
/// Fidelity with ONNX Runtime GenAI 0.18 on the same forge phi3v folder and picture: our HD transform, placeholder
/// expansion and three-graph pipeline give the same prompt ids (image tokens included) and the same greedy tokens as
/// GenAI's MultiModalProcessor + Generator.
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
    public void OurTokensEqualGenAis(string colour, uint argb, int width, int height)
    {
        var png = TestImages.Png(new SKColor(argb), width, height);
        var genAi = GenAiPhi3Vision.Generate(_fixture.Folder, Phi3VisionFixture.Prompt, [png], steps: 16);

        using var options = new SessionOptions();
        using var model = Phi3VisionModel.Load(_fixture.Folder, options);
        var (ids, images) = model.Prepare(Phi3VisionFixture.Prompt, [Decode(png)]);
        var tokens = model.GenerateGreedy(ids, model.ImageFeatures(images), steps: 16);

        Assert.Equal(genAi.Prompt, ids);
        Assert.Equal(genAi.Tokens, tokens);
        Assert.Equal(VisionScripts.Answer(colour), model.Tokenizer.Decode(tokens.ToArray(), skipSpecialTokens: true));
    }

    [Fact]
    public void TwoPicturesInOnePromptMatchGenAiAndTheLastOneIsNamed()
    {
        const string prompt = "<｜begin▁of▁sentence｜><｜User｜><|image_1|>\n<|image_2|>\nWhat colour is the last one?<｜Assistant｜></think>";
        byte[][] pngs = [TestImages.Png(SKColors.Red, 60, 30), TestImages.Png(new SKColor(0xFF20B040), 30, 60)];
        var genAi = GenAiPhi3Vision.Generate(_fixture.Folder, prompt, pngs, steps: 16);

        using var options = new SessionOptions();
        using var model = Phi3VisionModel.Load(_fixture.Folder, options);
        var (ids, images) = model.Prepare(prompt, [Decode(pngs[0]), Decode(pngs[1])]);
        var tokens = model.GenerateGreedy(ids, model.ImageFeatures(images), steps: 16);

        Assert.Equal(genAi.Prompt, ids);
        Assert.Equal(genAi.Tokens, tokens);
        Assert.Equal(VisionScripts.Answer("green"), model.Tokenizer.Decode(tokens.ToArray(), skipSpecialTokens: true));
    }

    [Fact]
    public void TwoPicturesExpandInTheirOwnOrder()
    {
        using var options = new SessionOptions();
        using var model = Phi3VisionModel.Load(_fixture.Folder, options);
        var wide = Decode(TestImages.Png(SKColors.Red, 80, 40));
        var square = Decode(TestImages.Png(SKColors.Blue, 50, 50));
        var (ids, images) = model.Prepare("<|image_2|>x<|image_1|>", [wide, square]);
        Assert.Equal(images[1].ImageTokens, ids.TakeWhile(i => i == -2).Count());
        Assert.Equal(images[0].ImageTokens, ids.Count(i => i == -1));
        Assert.Equal(17 * 144 + 1 + 5 * 12, images[1].ImageTokens);
    }

    internal static RgbImage Decode(byte[] png)
    {
        using var bitmap = SKBitmap.Decode(png).Copy(SKColorType.Rgba8888);
        var source = bitmap.GetPixelSpan();
        var pixels = new byte[bitmap.Width * bitmap.Height * 3];
        for (var p = 0; p < bitmap.Width * bitmap.Height; p++)
        {
            pixels[p * 3] = source[p * 4];
            pixels[(p * 3) + 1] = source[(p * 4) + 1];
            pixels[(p * 3) + 2] = source[(p * 4) + 2];
        }

        return new RgbImage(bitmap.Width, bitmap.Height, pixels);
    }
}
