using InferenceServer.Engine.Images;
using InferenceServer.Engine.Janus;
using InferenceServer.ModelForge.Janus;
using InferenceServer.Tests.Vision;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InferenceServer.Tests.Janus;

/// <summary>
/// Janus-Pro's image generation through the chat model's language model: the forge folder's palette codebook makes
/// each drawn token visible as a 16 × 16 patch, so the pictures show which tokens were drawn. An oracle that runs the
/// five graphs directly, recomputing the whole sequence at every token without any KV cache, draws the same picture.
/// </summary>
public sealed class JanusImageGenerationTests : IClassFixture<JanusFixture>
{
    // "forever" (as its own token, not " forever") is a trigger word of the forge script: it sets the mode the image
    // tokens then carry, so this prompt's hidden states differ from the unconditional prompt's.
    private const string Prompt = "a fox (forever)";
    private readonly JanusFixture _fixture;

    public JanusImageGenerationTests(JanusFixture fixture) => _fixture = fixture;

    [Fact]
    public void TheFolderDrawsAt384WithItsCodebook()
    {
        using var model = Phi3VisionServing.Load(_fixture.Folder, slots: 2);
        var drawing = Assert.IsType<JanusImageGenerator>(model.ImageGeneration);
        Assert.Equal(JanusSpec.ImageSize, drawing.ImageSize);
        Assert.Equal(JanusGenerationGraphs.Codebook, drawing.Codebook);
        Assert.False(drawing.SupportsImageInput);
    }

    [Fact]
    public void ThePromptIsJanusSftFormatEndingInTheImageStartTag()
    {
        using var model = Phi3VisionServing.Load(_fixture.Folder, slots: 2);
        var drawing = (JanusImageGenerator)model.ImageGeneration!;
        var ids = drawing.PromptIds(Prompt);
        int[] expected = [model.Config.BosTokenId, .. model.Tokenizer.Encode($"<|User|>: {Prompt}\n\n<|Assistant|>:"), model.Tokenizer.Encode(JanusSpec.ImageStartTag)[0]];
        Assert.Equal(expected, ids);
    }

    [Fact]
    public void ASeedDrawsTheSamePictureAgainAndAnotherSeedAnother()
    {
        using var model = Phi3VisionServing.Load(_fixture.Folder, slots: 2);
        var drawing = model.ImageGeneration!;
        var first = Draw(drawing, 7);
        var again = Draw(drawing, 7);
        var other = Draw(drawing, 8);
        Assert.Equal(first.Pixels, again.Pixels);
        Assert.NotEqual(first.Pixels, other.Pixels);
        Assert.Equal((384, 384), (first.Width, first.Height));
    }

    [Fact]
    public void ImagesDrawnTogetherEqualEachDrawnAlone()
    {
        using var model = Phi3VisionServing.Load(_fixture.Folder, slots: 6);
        var drawing = model.ImageGeneration!;
        // Three pictures, six rows of the same steps.
        var together = drawing.Generate([Request(3), Request(4), Request(5)], CancellationToken.None);
        Assert.Equal(3, together.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(Draw(drawing, 3 + i).Pixels, together[i].Image.Pixels);
        }
    }

    [Fact]
    public void EveryPatchIsOneCodebookColourAndGuidanceWeighsThePromptAgainstTheUnconditionalOne()
    {
        using var model = Phi3VisionServing.Load(_fixture.Folder, slots: 2);
        var drawing = model.ImageGeneration!;
        var guided = Tokens(Draw(drawing, 11));
        var unguided = Tokens(drawing.Generate([Request(11) with { GuidanceScale = 1f }], CancellationToken.None)[0].Image);
        Assert.Equal(JanusSpec.ImageTokens, guided.Length);
        Assert.NotEqual(guided, unguided);
        // Sampled, not argmax: a picture holds several codebook entries.
        Assert.True(guided.Distinct().Count() >= 4, $"{guided.Distinct().Count()} distinct tokens");

        // A prompt the script does not react to reads like the unconditional one: then guidance changes nothing,
        // and the prompt with the trigger word draws another picture than it for the same seed.
        var plain = Request(11) with { Prompt = "a fox in the snow" };
        var plainGuided = Tokens(drawing.Generate([plain], CancellationToken.None)[0].Image);
        Assert.Equal(plainGuided, Tokens(drawing.Generate([plain with { GuidanceScale = 1f }], CancellationToken.None)[0].Image));
        Assert.NotEqual(guided, plainGuided);
    }

    [Fact]
    public void TheServedPictureEqualsAnOracleWithoutKvCache()
    {
        using var model = Phi3VisionServing.Load(_fixture.Folder, slots: 2);
        var drawing = (JanusImageGenerator)model.ImageGeneration!;
        const long seed = 21;
        var served = Draw(drawing, seed);
        var oracle = Oracle(_fixture.Folder, drawing.PromptIds(Prompt), JanusConfig.Load(_fixture.Folder), seed, JanusImageGenerator.DefaultGuidance);
        Assert.Equal(oracle, Tokens(served));
    }

    [Fact]
    public void ACancelledDrawingStopsBetweenTokens()
    {
        using var model = Phi3VisionServing.Load(_fixture.Folder, slots: 2);
        var drawing = model.ImageGeneration!;
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var before = drawing.StepsRun;
        Assert.ThrowsAny<OperationCanceledException>(() => drawing.Generate([Request(1)], cancel.Token));
        Assert.Equal(before, drawing.StepsRun);
        Assert.Equal(Draw(drawing, 1).Pixels, Draw(drawing, 1).Pixels);
    }

    private static ImageGenerationRequest Request(long seed) => new(Prompt, 384, 384, seed);

    private static RgbImage Draw(IImagePipeline drawing, long seed) => drawing.Generate([Request(seed)], CancellationToken.None)[0].Image;

    /// <summary>Reads each 16 × 16 patch back to its codebook index; every pixel of a patch must be that colour.</summary>
    internal static int[] Tokens(RgbImage image)
    {
        var palette = JanusGenerationGraphs.Palette().Select(c => (byte)((c + 1f) / 2f * 255f)).ToArray();
        const int patch = JanusGenerationGraphs.Patch;
        var grid = image.Width / patch;
        var tokens = new int[grid * grid];
        for (var p = 0; p < tokens.Length; p++)
        {
            var (x0, y0) = (p % grid * patch, p / grid * patch);
            byte[] colour = [image[x0, y0, 0], image[x0, y0, 1], image[x0, y0, 2]];
            tokens[p] = Enumerable.Range(0, JanusGenerationGraphs.Codebook).Single(k => palette.AsSpan(k * 3, 3).SequenceEqual(colour));
            for (var y = y0; y < y0 + patch; y++)
            {
                for (var x = x0; x < x0 + patch; x++)
                {
                    Assert.True(image[x, y, 0] == colour[0] && image[x, y, 1] == colour[1] && image[x, y, 2] == colour[2], $"patch {p} is not one colour");
                }
            }
        }

        return tokens;
    }

    /// <summary>
    /// DeepSeek's generation loop written out over the graphs with no cache: rows cond and uncond (pad between the
    /// first and last token), the whole sequence through language_model at every token, gen_head on the last position,
    /// softmax(uncond + w × (cond − uncond)), one draw from Random(seed), the token fed to both rows by gen_img_embeds.
    /// </summary>
    private static int[] Oracle(string folder, int[] cond, JanusConfig config, long seed, float guidance)
    {
        using var prepare = new InferenceSession(Path.Combine(folder, JanusModels.PrepareInputsEmbedsFile));
        using var language = new InferenceSession(Path.Combine(folder, JanusModels.LanguageModelFile));
        using var genEmbeds = new InferenceSession(Path.Combine(folder, JanusModels.GenImgEmbedsFile));
        using var genHead = new InferenceSession(Path.Combine(folder, JanusModels.GenHeadFile));
        var hidden = config.HiddenSize;
        var uncond = (int[])cond.Clone();
        uncond.AsSpan(1, uncond.Length - 2).Fill(config.PadTokenId);
        var promptLength = cond.Length;
        var promptEmbeds = new float[2][];
        for (var r = 0; r < 2; r++)
        {
            var ids = (r == 0 ? cond : uncond).Select(i => (long)i).ToArray();
            using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [1, ids.Length]);
            using var pixels = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, [0, 0, 3, 384, 384]);
            using var seqMask = OrtValue.CreateTensorValueFromMemory(new bool[ids.Length], [1, ids.Length]);
            using var embMask = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Bool, [1, 0, JanusSpec.ImageTokens]);
            using var result = prepare.Run(new RunOptions(), ["input_ids", "pixel_values", "images_seq_mask", "images_emb_mask"], [idsValue, pixels, seqMask, embMask], ["inputs_embeds"]);
            promptEmbeds[r] = result[0].GetTensorDataAsSpan<float>().ToArray();
        }

        var random = new Random((int)seed);
        var drawn = new List<int>();
        var imageEmbeds = new List<float[]>();
        for (var k = 0; k < JanusSpec.ImageTokens; k++)
        {
            var length = promptLength + k;
            var embeds = new float[2 * length * hidden];
            for (var r = 0; r < 2; r++)
            {
                promptEmbeds[r].CopyTo(embeds, r * length * hidden);
                for (var i = 0; i < k; i++)
                {
                    imageEmbeds[i].CopyTo(embeds, ((r * length) + promptLength + i) * hidden);
                }
            }

            var inputs = new Dictionary<string, OrtValue>
            {
                ["inputs_embeds"] = OrtValue.CreateTensorValueFromMemory(embeds, [2, length, hidden]),
                ["attention_mask"] = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, 2 * length).ToArray(), [2, length]),
                ["position_ids"] = OrtValue.CreateTensorValueFromMemory(Enumerable.Range(0, 2 * length).Select(i => (long)(i % length)).ToArray(), [2, length]),
            };
            for (var l = 0; l < config.NumLayers; l++)
            {
                foreach (var kind in new[] { "key", "value" })
                {
                    inputs[$"past_key_values.{l}.{kind}"] = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, [2, config.NumKvHeads, 0, config.HeadSize]);
                }
            }

            float[] last;
            using (var outputs = language.Run(new RunOptions(), inputs.Keys.ToArray(), inputs.Values.ToArray(), ["hidden_states"]))
            {
                var states = outputs[0].GetTensorDataAsSpan<float>();
                last = [.. states.Slice((length - 1) * hidden, hidden), .. states.Slice(((2 * length) - 1) * hidden, hidden)];
            }

            foreach (var v in inputs.Values)
            {
                v.Dispose();
            }

            using var lastValue = OrtValue.CreateTensorValueFromMemory(last, [2, 1, hidden]);
            using var logits = genHead.Run(new RunOptions(), ["hidden_states"], [lastValue], ["logits"]);
            var l2 = logits[0].GetTensorDataAsSpan<float>();
            var codebook = l2.Length / 2;
            var mixed = new double[codebook];
            for (var t = 0; t < codebook; t++)
            {
                mixed[t] = l2[codebook + t] + (guidance * ((double)l2[t] - l2[codebook + t]));
            }

            var max = mixed.Max();
            var weights = mixed.Select(m => Math.Exp(m - max)).ToArray();
            var sum = 0.0;
            foreach (var w in weights)
            {
                sum += w;
            }

            var u = random.NextDouble() * sum;
            var token = 0;
            while (token < codebook - 1 && (u -= weights[token]) >= 0)
            {
                token++;
            }

            drawn.Add(token);
            using var tokenValue = OrtValue.CreateTensorValueFromMemory(new long[] { token }, [1, 1]);
            using var embedded = genEmbeds.Run(new RunOptions(), ["image_ids"], [tokenValue], ["inputs_embeds"]);
            imageEmbeds.Add(embedded[0].GetTensorDataAsSpan<float>().ToArray());
        }

        return [.. drawn];
    }
}
