using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Images;
using InferenceServer.Engine.Runtime;
using InferenceServer.Engine.Text.Tokenization;
using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Vision;

/// <summary>
/// The image side of a GenAI phi3v folder: each image through the Phi-3 HD transform, then all of a request's images
/// through the vision graph in one run, and the rendered prompt tokenized with each <c>&lt;|image_N|&gt;</c> expanded to
/// image N's tokens. It runs on the caller's thread (the request's), so encoding never stalls the scheduler's streams;
/// the embedding graph runs in the scheduler (see <see cref="EmbeddingInput"/>).
/// </summary>
internal sealed class Phi3VisionEncoder : VisionEncoder
{
    private readonly InferenceSession _session;
    private readonly Phi3VisionConfig _config;
    private readonly BpeTokenizer _tokenizer;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    public Phi3VisionEncoder(InferenceSession session, Phi3VisionConfig config, BpeTokenizer tokenizer)
    {
        _session = session;
        _config = config;
        _tokenizer = tokenizer;
        _inputNames = [config.PixelValues, config.ImageSizes];
        _outputNames = [config.ImageFeaturesOut];
    }

    public override (int[] Ids, PromptImages Images) Encode(string prompt, IReadOnlyList<RgbImage> images, CancellationToken cancellationToken = default)
    {
        var processed = new Phi3ProcessedImage[images.Count];
        var tokens = new int[images.Count];
        for (var i = 0; i < images.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            processed[i] = Phi3ImageProcessor.Process(images[i]);
            tokens[i] = processed[i].ImageTokens;
        }

        var ids = Phi3VisionPrompt.Expand(_tokenizer, prompt, tokens);
        ImageTokenIds.Key(ids, images);
        return (ids, new PromptImages(Features(processed, cancellationToken), _config.HiddenSize, images.Count));
    }

    /// <summary>The vision graph's <c>image_features</c> (image tokens × hidden) for the processed images, in one run.</summary>
    private float[] Features(Phi3ProcessedImage[] images, CancellationToken cancellationToken)
    {
        if (images.Length == 0)
        {
            return [];
        }

        var crop = images[0].PixelValues.Length;
        var pixels = new float[images.Length * crop];
        var sizes = new long[images.Length * 2];
        for (var i = 0; i < images.Length; i++)
        {
            images[i].PixelValues.CopyTo(pixels, i * crop);
            sizes[i * 2] = images[i].HdHeight;
            sizes[(i * 2) + 1] = images[i].HdWidth;
        }

        long[] pixelShape = [images.Length, Phi3ImageProcessor.MaxCrops + 1, 3, Phi3ImageProcessor.CropSize, Phi3ImageProcessor.CropSize];
        using var run = new RunOptions();
        using var terminate = cancellationToken.Register(static r => ((RunOptions)r!).Terminate = true, run);
        using var pixelValue = FloatTensors.Input(pixels, pixelShape, _session.InputMetadata[_config.PixelValues].ElementDataType);
        using var sizeValue = OrtValue.CreateTensorValueFromMemory(sizes, [images.Length, 2]);
        try
        {
            using var results = _session.Run(run, _inputNames, [pixelValue, sizeValue], _outputNames);
            return FloatTensors.Read(results[0]);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    public override void Dispose() => _session.Dispose();
}
