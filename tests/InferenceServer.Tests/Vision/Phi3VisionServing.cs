using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Images;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using SkiaSharp;

namespace InferenceServer.Tests.Vision;

/// <summary>The forge phi3v folder served as a text model is (its scheduler, KV rows, prefix cache), and greedy runs on it.</summary>
internal static class Phi3VisionServing
{
    public static TextModel Load(string folder, int slots = 4, int chunk = 8192, int prefixMiB = 0) =>
        TextModelLoader.Load(
            new ModelOptions
            {
                Id = "vision",
                Path = folder,
                MaxContextLength = 8192,
                MaxConcurrentSequences = slots,
                PrefillChunkTokens = chunk,
                PrefixCacheMiB = prefixMiB,
            },
            new SessionFactory(new ExecutionProfileOptions { IntraOpThreads = 1, HugePages = false }));

    /// <summary>Submits a greedy request for <paramref name="prompt"/> with <paramref name="pngs"/> (logprobs on, so each token's id comes back).</summary>
    public static (int[] Ids, SequenceHandle Handle) Submit(TextModel model, string prompt, IReadOnlyList<byte[]> pngs, int maxTokens = 16)
    {
        var (ids, images) = model.Vision!.Encode(prompt, pngs.Select(Decode).ToArray());
        var request = new GenerationRequest(ids, maxTokens, SamplingOptions.Greedy, [], false) { Images = images, TopLogprobs = 0 };
        return (ids, model.Submit(request, CancellationToken.None));
    }

    /// <summary>The generated token ids (EOS is not emitted) and the finish event.</summary>
    public static async Task<(List<int> Tokens, GenerationFinished Finished)> ReadAsync(SequenceHandle handle)
    {
        var tokens = new List<int>();
        GenerationFinished? finished = null;
        await foreach (var e in handle.ReadAllAsync(CancellationToken.None))
        {
            if (e is TokenLogprobs l)
            {
                tokens.Add(l.Chosen.Token);
            }
            else if (e is GenerationFinished f)
            {
                finished = f;
            }
        }

        return (tokens, finished!);
    }

    public static async Task<(int[] Ids, List<int> Tokens, GenerationFinished Finished)> GreedyAsync(TextModel model, string prompt, IReadOnlyList<byte[]> pngs, int maxTokens = 16)
    {
        var (ids, handle) = Submit(model, prompt, pngs, maxTokens);
        using (handle)
        {
            var (tokens, finished) = await ReadAsync(handle);
            return (ids, tokens, finished);
        }
    }

    public static RgbImage Decode(byte[] png)
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
