using InferenceServer.Engine.Images;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Text.Tokenization;
using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Vision;

/// <summary>
/// A GenAI phi3v folder loaded on three ONNX Runtime sessions, run as GenAI's multimodal pipeline does: the images
/// through the vision graph once, the expanded prompt and the image features through the embedding graph, then the
/// text graph over <c>inputs_embeds</c> with a KV cache; each generated token goes back through the embedding graph
/// (with no image features) and the text graph.
/// </summary>
internal sealed class Phi3VisionModel : IDisposable
{
    private readonly InferenceSession _vision;
    private readonly InferenceSession _embedding;
    private readonly InferenceSession _text;
    private readonly RunOptions _run = new();

    private Phi3VisionModel(string folder, GenAiConfig config, Phi3VisionConfig vision, BpeTokenizer tokenizer, SessionOptions options)
    {
        Config = config;
        Vision = vision;
        Tokenizer = tokenizer;
        _vision = new InferenceSession(Path.Combine(folder, vision.VisionFile), options);
        _embedding = new InferenceSession(Path.Combine(folder, vision.EmbeddingFile), options);
        _text = new InferenceSession(Path.Combine(folder, config.DecoderFile), options);
    }

    public GenAiConfig Config { get; }

    public Phi3VisionConfig Vision { get; }

    public BpeTokenizer Tokenizer { get; }

    public static Phi3VisionModel Load(string folder, SessionOptions options)
    {
        var config = GenAiConfig.Load(Path.Combine(folder, "genai_config.json"));
        var vision = Phi3VisionConfig.Load(folder);
        if (!File.Exists(Path.Combine(folder, "processor_config.json")))
        {
            throw new ModelLoadException($"The phi3v folder '{folder}' has no processor_config.json.");
        }

        var tokenizer = BpeTokenizer.Load(Path.Combine(folder, "tokenizer.json"));
        return new Phi3VisionModel(folder, config, vision, tokenizer, options);
    }

    /// <summary>The prompt's ids with each placeholder expanded, and the processed images.</summary>
    public (int[] Ids, Phi3ProcessedImage[] Images) Prepare(string prompt, IReadOnlyList<RgbImage> images)
    {
        var processed = images.Select(Phi3ImageProcessor.Process).ToArray();
        return (Phi3VisionPrompt.Expand(Tokenizer, prompt, processed.Select(p => p.ImageTokens).ToArray()), processed);
    }

    /// <summary>The vision graph's <c>image_features</c> (image tokens × hidden) for the processed images.</summary>
    public float[] ImageFeatures(IReadOnlyList<Phi3ProcessedImage> images)
    {
        if (images.Count == 0)
        {
            return [];
        }

        var crop = images[0].PixelValues.Length;
        var pixels = new float[images.Count * crop];
        var sizes = new long[images.Count * 2];
        for (var i = 0; i < images.Count; i++)
        {
            images[i].PixelValues.CopyTo(pixels, i * crop);
            sizes[i * 2] = images[i].HdHeight;
            sizes[(i * 2) + 1] = images[i].HdWidth;
        }

        long[] pixelShape = [images.Count, Phi3ImageProcessor.MaxCrops + 1, 3, Phi3ImageProcessor.CropSize, Phi3ImageProcessor.CropSize];
        using var pixelValue = OrtValue.CreateTensorValueFromMemory(pixels, pixelShape);
        using var sizeValue = OrtValue.CreateTensorValueFromMemory(sizes, [images.Count, 2]);
        using var results = _vision.Run(_run, [Vision.PixelValues, Vision.ImageSizes], [pixelValue, sizeValue], [Vision.ImageFeaturesOut]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>Greedy tokens after the expanded prompt, stopping after EOS or <paramref name="steps"/>.</summary>
    public List<int> GenerateGreedy(int[] ids, float[] features, int steps)
    {
        var layers = Config.NumLayers;
        var past = new OrtValue[layers * 2];
        for (var i = 0; i < past.Length; i++)
        {
            past[i] = OrtValue.CreateTensorValueFromMemory(Array.Empty<float>(), [1, Config.NumKvHeads, 0, Config.HeadSize]);
        }

        var tokens = new List<int>();
        try
        {
            var input = ids;
            var total = 0;
            for (var step = 0; step < steps; step++)
            {
                var embeds = Embed(input, step == 0 ? features : []);
                total += input.Length;
                var logits = RunText(embeds, input.Length, total, past);
                var token = Generation.TokenSampler.ArgMax(logits);
                tokens.Add(token);
                if (Config.EosTokenIds.Contains(token))
                {
                    break;
                }

                input = [token];
            }
        }
        finally
        {
            foreach (var v in past)
            {
                v.Dispose();
            }
        }

        return tokens;
    }

    private float[] Embed(int[] ids, float[] features)
    {
        var longs = ids.Select(i => (long)i).ToArray();
        var hidden = Vision.HiddenSize;
        using var idsValue = OrtValue.CreateTensorValueFromMemory(longs, [1, ids.Length]);
        using var featureValue = OrtValue.CreateTensorValueFromMemory(features, [features.Length / hidden, hidden]);
        using var results = _embedding.Run(_run, [Vision.InputIds, Vision.ImageFeaturesIn], [idsValue, featureValue], [Vision.InputsEmbedsOut]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private float[] RunText(float[] embeds, int count, int total, OrtValue[] past)
    {
        var names = Config.Names;
        var layers = Config.NumLayers;
        var mask = new long[total];
        Array.Fill(mask, 1L);
        using var embedsValue = OrtValue.CreateTensorValueFromMemory(embeds, [1, count, Vision.HiddenSize]);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [1, total]);
        var inputNames = new List<string> { Vision.InputsEmbedsIn, names.AttentionMask };
        var inputs = new List<OrtValue> { embedsValue, maskValue };
        var outputNames = new List<string> { names.Logits };
        for (var l = 0; l < layers; l++)
        {
            inputNames.Add(GenAiNames.ForLayer(names.PastKey, l));
            inputNames.Add(GenAiNames.ForLayer(names.PastValue, l));
            inputs.Add(past[l * 2]);
            inputs.Add(past[(l * 2) + 1]);
            outputNames.Add(GenAiNames.ForLayer(names.PresentKey, l));
            outputNames.Add(GenAiNames.ForLayer(names.PresentValue, l));
        }

        var results = _text.Run(_run, inputNames, inputs, outputNames);
        for (var i = 0; i < past.Length; i++)
        {
            past[i].Dispose();
            past[i] = results[i + 1];
        }

        var logits = results[0].GetTensorDataAsSpan<float>();
        var vocab = Config.VocabSize;
        var last = logits.Slice((count - 1) * vocab, vocab).ToArray();
        results[0].Dispose();
        return last;
    }

    public void Dispose()
    {
        _vision.Dispose();
        _embedding.Dispose();
        _text.Dispose();
        _run.Dispose();
    }
}
