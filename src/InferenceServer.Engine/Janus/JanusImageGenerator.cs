using InferenceServer.Engine.Images;
using InferenceServer.Engine.Runtime;
using InferenceServer.Engine.Text.Tokenization;
using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Janus;

/// <summary>
/// Janus-Pro's image generation (DeepSeek's <c>generation_inference.py</c>, transformers.js's <c>generate_images</c>)
/// over the chat model's own language model session: the prompt in Janus's SFT format followed by
/// <c>&lt;begin_of_image&gt;</c>, and beside it the unconditional prompt (every token but the first and last replaced by
/// pad); then 576 image tokens, each sampled at temperature 1 from uncond + w × (cond − uncond) of <c>gen_head</c>'s
/// logits and fed back to both rows through <c>gen_img_embeds</c>; <c>image_decode</c> paints them. The images of one
/// call are rows of the same runs (<see cref="ImagesPerRun"/> at a time: two rows each); a seed draws the same
/// picture alone or beside others. The KV rows are allocated at the first request and kept.
/// </summary>
public sealed class JanusImageGenerator : IImagePipeline
{
    /// <summary>Images drawn in one batch of runs (the KV holds two rows of prompt + 576 positions for each).</summary>
    public const int ImagesPerRun = 2;

    /// <summary>Janus's default classifier-free guidance weight (<c>cfg_weight</c>).</summary>
    public const float DefaultGuidance = 5f;

    private const string DecodeInput = "generated_tokens";
    private const string DecodeOutput = "decoded_image";
    private readonly InferenceSession _language;
    private readonly DecoderGraph _graph;
    private readonly JanusGenerationInput _input;
    private readonly InferenceSession _decode;
    private readonly BpeTokenizer _tokenizer;
    private readonly JanusConfig _config;
    private readonly bool _concatKv;
    private readonly Lock _gate = new();
    private BatchDecoder? _decoder;
    private long _steps;
    private bool _disposed;

    internal JanusImageGenerator(InferenceSession language, DecoderGraph graph, JanusGenerationInput input, InferenceSession decode,
        BpeTokenizer tokenizer, JanusConfig config, bool concatKv, int imageSize)
    {
        _language = language;
        _graph = graph;
        _input = input;
        _decode = decode;
        _tokenizer = tokenizer;
        _config = config;
        _concatKv = concatKv;
        ImageSize = imageSize;
        MaxPromptTokens = Math.Min(512, config.ContextLength - config.ImageTokens);
    }

    /// <summary>The side of the square pictures <c>image_decode</c> paints (384 for Janus-Pro).</summary>
    public int ImageSize { get; }

    /// <summary>Image tokens in the codebook (<c>gen_head</c>'s logits).</summary>
    public int Codebook => _graph.Config.VocabSize;

    public bool SupportsImageInput => false;

    public string NoImageInputReason => "draws from text only (Janus-Pro has no image-to-image path)";

    public bool Autoregressive => true;

    public int MaxPromptTokens { get; }

    /// <summary>Image token steps run since load (each draws one token for every image of its batch).</summary>
    public long StepsRun => Interlocked.Read(ref _steps);

    /// <summary>The prompt Janus's generation reads: its SFT format for one user turn, then the image start tag.</summary>
    public int[] PromptIds(string prompt)
    {
        var ids = _tokenizer.Encode($"<|User|>: {prompt.Trim()}\n\n<|Assistant|>:");
        var body = ids.Length > 0 && ids[0] == _config.BosTokenId ? ids[1..] : ids;
        body = body[..Math.Min(body.Length, MaxPromptTokens - 2)];
        return [_config.BosTokenId, .. body, _tokenizer.Encode(_config.ImageStartTag)[0]];
    }

    public IReadOnlyList<GeneratedImage> Generate(IReadOnlyList<ImageGenerationRequest> requests, CancellationToken cancellationToken)
    {
        foreach (var r in requests)
        {
            if (r.Width != ImageSize || r.Height != ImageSize)
            {
                throw new ArgumentException($"Janus draws {ImageSize}x{ImageSize} pictures, not {r.Width}x{r.Height}.", nameof(requests));
            }

            if (r.InitImage is not null)
            {
                throw new InvalidOperationException("Janus image generation takes no init image.");
            }
        }

        var images = new List<GeneratedImage>(requests.Count);
        using var run = new RunOptions();
        using var registration = cancellationToken.Register(() => run.Terminate = true);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var decoder = _decoder ??= CreateDecoder();
            try
            {
                for (var first = 0; first < requests.Count; first += ImagesPerRun)
                {
                    var chunk = requests.Skip(first).Take(ImagesPerRun).ToList();
                    images.AddRange(Draw(decoder, chunk, run, cancellationToken));
                }
            }
            catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }

        return images;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_decoder is not null)
            {
                _decoder.Dispose();
            }
            else
            {
                _graph.Head?.Dispose();
                _input.Dispose();
            }

            _decode.Dispose();
        }
    }

    private BatchDecoder CreateDecoder()
    {
        var capacity = MaxPromptTokens + _config.ImageTokens;
        var rows = 2 * ImagesPerRun;
        var decoder = new BatchDecoder(_language, _graph, rows, capacity, (long)rows * capacity, _input, ownsSession: false);
        decoder.UseKvLayout(_concatKv);
        return decoder;
    }

    /// <summary>Rows 2i and 2i + 1 hold image i's conditional and unconditional prompts.</summary>
    private List<GeneratedImage> Draw(BatchDecoder decoder, List<ImageGenerationRequest> requests, RunOptions run, CancellationToken cancellationToken)
    {
        var count = requests.Count;
        var rows = 2 * count;
        var prompts = new List<int[]>(rows);
        foreach (var r in requests)
        {
            var cond = PromptIds(r.Prompt);
            var uncond = (int[])cond.Clone();
            uncond.AsSpan(1, uncond.Length - 2).Fill(_config.PadTokenId);
            prompts.Add(cond);
            prompts.Add(uncond);
        }

        var rowIds = Enumerable.Range(0, rows).ToArray();
        var counts = prompts.Select(p => p.Length).ToArray();
        decoder.ClearAll();
        _input.Drawing = false;
        decoder.PrefillFresh(rowIds, prompts, counts, run);
        _input.Drawing = true;

        var tokens = new long[count * _config.ImageTokens];
        var random = requests.Select(r => new Random((int)(((r.Seed % int.MaxValue) + int.MaxValue) % int.MaxValue))).ToArray();
        var guidance = requests.Select(r => r.GuidanceScale ?? DefaultGuidance).ToArray();
        var next = new int[rows];
        var lengths = (int[])counts.Clone();
        var mixed = new double[Codebook];
        for (var k = 0; k < _config.ImageTokens; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (k > 0)
            {
                decoder.Decode(rows, next, lengths, run);
                for (var r = 0; r < rows; r++)
                {
                    lengths[r]++;
                }
            }

            Interlocked.Increment(ref _steps);
            for (var i = 0; i < count; i++)
            {
                var token = Sample(decoder.Logits(2 * i), decoder.Logits((2 * i) + 1), guidance[i], random[i], mixed);
                tokens[(i * _config.ImageTokens) + k] = token;
                next[2 * i] = token;
                next[(2 * i) + 1] = token;
            }
        }

        decoder.ClearAll();
        return Paint(tokens, count, counts, run);
    }

    /// <summary>Draws one token from softmax(uncond + w × (cond − uncond)) (temperature 1).</summary>
    private static int Sample(ReadOnlySpan<float> cond, ReadOnlySpan<float> uncond, float guidance, Random random, double[] mixed)
    {
        var max = double.NegativeInfinity;
        for (var t = 0; t < mixed.Length; t++)
        {
            mixed[t] = uncond[t] + (guidance * ((double)cond[t] - uncond[t]));
            max = Math.Max(max, mixed[t]);
        }

        var sum = 0.0;
        for (var t = 0; t < mixed.Length; t++)
        {
            mixed[t] = Math.Exp(mixed[t] - max);
            sum += mixed[t];
        }

        var u = random.NextDouble() * sum;
        for (var t = 0; t < mixed.Length; t++)
        {
            u -= mixed[t];
            if (u < 0)
            {
                return t;
            }
        }

        return mixed.Length - 1;
    }

    /// <summary>Runs <c>image_decode</c> over the tokens and maps its [−1, 1] output to bytes as Janus does ((x + 1) / 2 × 255, clipped, truncated).</summary>
    private List<GeneratedImage> Paint(long[] tokens, int count, int[] counts, RunOptions run)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(tokens, [count, _config.ImageTokens]);
        using var results = _decode.Run(run, [DecodeInput], [input], [DecodeOutput]);
        var shape = results[0].GetTensorTypeAndShape().Shape;
        if (shape.Length != 4 || shape[0] != count || shape[1] != 3)
        {
            throw new InvalidOperationException($"image_decode wrote a [{string.Join(", ", shape)}] image; a [{count}, 3, H, W] one was expected.");
        }

        var (height, width) = ((int)shape[2], (int)shape[3]);
        var plane = height * width;
        var pixels = FloatTensors.Read(results[0]).AsSpan();
        var images = new List<GeneratedImage>(count);
        for (var i = 0; i < count; i++)
        {
            var bytes = new byte[plane * 3];
            var image = pixels.Slice(i * 3 * plane, 3 * plane);
            for (var p = 0; p < plane; p++)
            {
                for (var c = 0; c < 3; c++)
                {
                    bytes[(p * 3) + c] = (byte)Math.Clamp((image[(c * plane) + p] + 1f) / 2f * 255f, 0f, 255f);
                }
            }

            images.Add(new GeneratedImage(new RgbImage(width, height, bytes), counts[2 * i], _config.ImageTokens));
        }

        return images;
    }
}
