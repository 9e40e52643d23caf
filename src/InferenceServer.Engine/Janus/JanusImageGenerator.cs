using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Images;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.Engine.Text.Tokenization;
using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Janus;

/// <summary>
/// Janus-Pro's image generation (DeepSeek's <c>generation_inference.py</c>, transformers.js's <c>generate_images</c>)
/// in the chat model's own scheduler: the prompt in Janus's SFT format followed by <c>&lt;begin_of_image&gt;</c>, and
/// beside it the unconditional prompt (every token but the first and last replaced by pad), drawn as a pair of rows
/// (<see cref="Generation.Drawing"/>) in the same batched steps as the model's chats and other drawings; 576 image
/// tokens, each sampled at temperature 1 from uncond + w × (cond − uncond) of <c>gen_head</c>'s logits and fed back to
/// both rows through <c>gen_img_embeds</c>; then <c>image_decode</c> paints them on the request's thread. A seed draws
/// the same picture alone or beside others.
/// </summary>
public sealed class JanusImageGenerator : IImagePipeline
{
    /// <summary>Janus's default classifier-free guidance weight (<c>cfg_weight</c>).</summary>
    public const float DefaultGuidance = 5f;

    private const string DecodeInput = "generated_tokens";
    private const string DecodeOutput = "decoded_image";
    private readonly TextModel _model;
    private readonly InferenceSession _decode;
    private readonly BpeTokenizer _tokenizer;
    private readonly JanusConfig _config;
    private long _steps;
    private volatile bool _disposed;

    internal JanusImageGenerator(TextModel model, InferenceSession decode, BpeTokenizer tokenizer, JanusConfig config, int codebook, int imageSize, int maxPromptTokens)
    {
        _model = model;
        _decode = decode;
        _tokenizer = tokenizer;
        _config = config;
        Codebook = codebook;
        ImageSize = imageSize;
        MaxPromptTokens = maxPromptTokens;
    }

    /// <summary>The side of the square pictures <c>image_decode</c> paints (384 for Janus-Pro).</summary>
    public int ImageSize { get; }

    /// <summary>Image tokens in the codebook (<c>gen_head</c>'s logits).</summary>
    public int Codebook { get; }

    public bool SupportsImageInput => false;

    public string NoImageInputReason => "draws from text only (Janus-Pro has no image-to-image path)";

    public bool Autoregressive => true;

    /// <summary>The prompt's tokens, the start tag included: at most 512 (Janus's limit), fewer when two rows of it and 576 image tokens would not fit the model's context or KV budget.</summary>
    public int MaxPromptTokens { get; }

    /// <summary>Image tokens drawn since load, all pictures together.</summary>
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

        ObjectDisposedException.ThrowIf(_disposed, this);
        var count = requests.Count;
        var tokens = new long[count * _config.ImageTokens];
        var lengths = new int[count];
        var handles = new List<DrawingHandle>(count);
        try
        {
            // Every picture is queued at once: the scheduler draws them as rows of the same steps.
            for (var i = 0; i < count; i++)
            {
                var cond = PromptIds(requests[i].Prompt);
                var uncond = (int[])cond.Clone();
                uncond.AsSpan(1, uncond.Length - 2).Fill(_config.PadTokenId);
                lengths[i] = cond.Length;
                var seed = (int)(((requests[i].Seed % int.MaxValue) + int.MaxValue) % int.MaxValue);
                var request = new DrawingRequest(cond, uncond, _config.ImageTokens, requests[i].GuidanceScale ?? DefaultGuidance, seed, () => Interlocked.Increment(ref _steps));
                handles.Add(_model.SubmitDrawing(request, cancellationToken));
            }

            for (var i = 0; i < count; i++)
            {
                handles[i].TokensAsync(cancellationToken).GetAwaiter().GetResult().CopyTo(tokens, i * _config.ImageTokens);
            }
        }
        finally
        {
            handles.ForEach(h => h.Dispose());
        }

        using var run = new RunOptions();
        using var registration = cancellationToken.Register(() => run.Terminate = true);
        try
        {
            return Paint(tokens, count, lengths, run);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _decode.Dispose();
        }
    }

    /// <summary>Runs <c>image_decode</c> over the tokens and maps its [−1, 1] output to bytes as Janus does ((x + 1) / 2 × 255, clipped, truncated).</summary>
    private List<GeneratedImage> Paint(long[] tokens, int count, int[] lengths, RunOptions run)
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

            images.Add(new GeneratedImage(new RgbImage(width, height, bytes), lengths[i], _config.ImageTokens));
        }

        return images;
    }
}
