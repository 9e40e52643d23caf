using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Images;
using InferenceServer.Engine.Runtime;
using InferenceServer.Engine.Text.Tokenization;
using InferenceServer.Engine.Vision;
using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Janus;

/// <summary>
/// The image side of a Janus-Pro folder: each image through <see cref="JanusImageProcessor"/>, then all of a request's
/// images through <c>prepare_inputs_embeds</c> in one run whose ids are only the images' tokens (every position an
/// image position), so its <c>inputs_embeds</c> are the images' rows in order; the prompt is expanded by
/// <see cref="JanusPrompt"/>. The scheduler's <see cref="JanusEmbeddingInput"/> puts the rows where the image ids stand;
/// it owns the session both run (ONNX Runtime sessions take concurrent runs).
/// </summary>
internal sealed class JanusEncoder : VisionEncoder
{
    private readonly InferenceSession _session;
    private readonly JanusConfig _config;
    private readonly BpeTokenizer _tokenizer;
    private readonly int _start;
    private readonly int _end;

    public JanusEncoder(InferenceSession session, JanusConfig config, BpeTokenizer tokenizer, int start, int end)
    {
        _session = session;
        _config = config;
        _tokenizer = tokenizer;
        _start = start;
        _end = end;
    }

    public override (int[] Ids, PromptImages Images) Encode(string prompt, IReadOnlyList<RgbImage> images, CancellationToken cancellationToken = default)
    {
        var ids = JanusPrompt.Expand(_tokenizer, prompt, images.Count, _start, _end, _config.ImageTokens);
        ImageTokenIds.Key(ids, images);
        return (ids, new PromptImages(Rows(images, cancellationToken), _config.HiddenSize, images.Count));
    }

    private float[] Rows(IReadOnlyList<RgbImage> images, CancellationToken cancellationToken)
    {
        var n = images.Count;
        if (n == 0)
        {
            return [];
        }

        var size = _config.ImageSize;
        var perImage = 3 * size * size;
        var pixels = new float[n * perImage];
        for (var i = 0; i < n; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            JanusImageProcessor.Process(images[i], _config).CopyTo(pixels, i * perImage);
        }

        var tokens = n * _config.ImageTokens;
        var ids = new long[tokens];
        var seqMask = new bool[tokens];
        Array.Fill(seqMask, true);
        var embMask = new bool[tokens];
        Array.Fill(embMask, true);
        using var run = new RunOptions();
        using var terminate = cancellationToken.Register(static r => ((RunOptions)r!).Terminate = true, run);
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [1, tokens]);
        using var pixelValue = FloatTensors.Input(pixels, [1, n, 3, size, size], _session.InputMetadata[JanusGraphNames.PixelValues].ElementDataType);
        using var seqValue = OrtValue.CreateTensorValueFromMemory(seqMask, [1, tokens]);
        using var embValue = OrtValue.CreateTensorValueFromMemory(embMask, [1, n, _config.ImageTokens]);
        try
        {
            using var results = _session.Run(run, JanusGraphNames.Inputs, [idsValue, pixelValue, seqValue, embValue], JanusGraphNames.Outputs);
            return FloatTensors.Read(results[0]);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    public override void Dispose()
    {
    }
}
