using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Images;
using InferenceServer.Engine.Runtime;
using InferenceServer.Engine.Text.Tokenization;
using InferenceServer.Engine.Vision;
using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Janus;

/// <summary>
/// The image side of a Janus-Pro folder: each image through <see cref="JanusImageProcessor"/> on the caller's thread,
/// then the images through <c>prepare_inputs_embeds</c> in a run whose ids are only the images' tokens (every position
/// an image position), so its <c>inputs_embeds</c> are the images' rows in order. The run is shared with the other
/// requests encoding at the same time (<see cref="VisionBatcher{TImage}"/>: their images are just more images of it);
/// the prompt is expanded by <see cref="JanusPrompt"/>. The scheduler's <see cref="JanusEmbeddingInput"/> puts the rows
/// where the image ids stand; it owns the session both run (ONNX Runtime sessions take concurrent runs).
/// </summary>
internal sealed class JanusEncoder : VisionEncoder
{
    private readonly InferenceSession _session;
    private readonly JanusConfig _config;
    private readonly BpeTokenizer _tokenizer;
    private readonly int _start;
    private readonly int _end;

    public JanusEncoder(InferenceSession session, JanusConfig config, BpeTokenizer tokenizer, int start, int end, string name)
    {
        _session = session;
        _config = config;
        _tokenizer = tokenizer;
        _start = start;
        _end = end;
        Batcher = new VisionBatcher<float[]>(Rows, _ => config.ImageTokens, config.HiddenSize, name);
    }

    /// <summary>The image runs of <c>prepare_inputs_embeds</c>, shared across requests.</summary>
    internal VisionBatcher<float[]> Batcher { get; }

    public override (int[] Ids, PromptImages Images) Encode(string prompt, IReadOnlyList<RgbImage> images, CancellationToken cancellationToken = default)
    {
        var ids = JanusPrompt.Expand(_tokenizer, prompt, images.Count, _start, _end, _config.ImageTokens);
        ImageTokenIds.Key(ids, images);
        var pixels = new float[images.Count][];
        for (var i = 0; i < images.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            pixels[i] = JanusImageProcessor.Process(images[i], _config);
        }

        var rows = pixels.Length == 0 ? [] : Batcher.Run(pixels, cancellationToken);
        return (ids, new PromptImages(rows, _config.HiddenSize, images.Count));
    }

    /// <summary>The images' rows of <c>inputs_embeds</c> (576 each), in one run.</summary>
    private float[] Rows(IReadOnlyList<float[]> images, RunOptions run)
    {
        var n = images.Count;
        var size = _config.ImageSize;
        var perImage = 3 * size * size;
        var pixels = new float[n * perImage];
        for (var i = 0; i < n; i++)
        {
            images[i].CopyTo(pixels, i * perImage);
        }

        var tokens = n * _config.ImageTokens;
        var ids = new long[tokens];
        var seqMask = new bool[tokens];
        Array.Fill(seqMask, true);
        var embMask = new bool[tokens];
        Array.Fill(embMask, true);
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [1, tokens]);
        using var pixelValue = FloatTensors.Input(pixels, [1, n, 3, size, size], _session.InputMetadata[JanusGraphNames.PixelValues].ElementDataType);
        using var seqValue = OrtValue.CreateTensorValueFromMemory(seqMask, [1, tokens]);
        using var embValue = OrtValue.CreateTensorValueFromMemory(embMask, [1, n, _config.ImageTokens]);
        using var results = _session.Run(run, JanusGraphNames.Inputs, [idsValue, pixelValue, seqValue, embValue], JanusGraphNames.Outputs);
        return FloatTensors.Read(results[0]);
    }

    public override void Dispose() => Batcher.Dispose();
}
