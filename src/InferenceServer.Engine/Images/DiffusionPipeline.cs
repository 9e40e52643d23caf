using System.Text.Json;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InferenceServer.Engine.Images;

/// <summary>
/// A Stable Diffusion pipeline over a diffusers ONNX folder: CLIP tokenizer → text encoder → UNet denoising loop
/// (classifier-free guidance, scheduler from the folder or the request) → VAE decoder; with a VAE encoder also
/// image-to-image and inpainting. The UNet's timestep type, its latent channels and the VAE scaling factor are read
/// from the model. Thread-safe: each call owns its buffers; ONNX Runtime sessions allow concurrent runs.
/// </summary>
public sealed partial class DiffusionPipeline : IImagePipeline
{
    private const string UnetSample = "sample";
    private const string UnetTimestep = "timestep";
    private const string UnetHidden = "encoder_hidden_states";

    private readonly InferenceSession _textEncoder;
    private readonly InferenceSession _unet;
    private readonly InferenceSession _vaeDecoder;
    private readonly InferenceSession? _vaeEncoder;
    private readonly ClipTokenizer _tokenizer;
    private readonly TensorElementType _textInputType;
    private readonly TensorElementType _timestepType;
    private readonly int[] _timestepDims;
    private readonly int _unetBatch;
    private long _denoisingSteps;

    private DiffusionPipeline(string folder, InferenceSession textEncoder, InferenceSession unet, InferenceSession vaeDecoder,
        InferenceSession? vaeEncoder, ClipTokenizer tokenizer, SchedulerConfig scheduler, float scalingFactor)
    {
        Folder = folder;
        _textEncoder = textEncoder;
        _unet = unet;
        _vaeDecoder = vaeDecoder;
        _vaeEncoder = vaeEncoder;
        _tokenizer = tokenizer;
        Scheduler = scheduler;
        ScalingFactor = scalingFactor;
        _textInputType = textEncoder.InputMetadata.First().Value.ElementDataType;
        var sample = Input(unet, UnetSample);
        var timestep = Input(unet, UnetTimestep);
        Input(unet, UnetHidden);
        if (sample.ElementDataType != TensorElementType.Float)
        {
            throw new ModelLoadException($"{folder}/unet/model.onnx takes '{UnetSample}' as {sample.ElementDataType}; this server runs float32 exports.");
        }

        _timestepType = timestep.ElementDataType;
        if (_timestepType is not (TensorElementType.Float or TensorElementType.Int64 or TensorElementType.Int32 or TensorElementType.Double))
        {
            throw new ModelLoadException($"{folder}/unet/model.onnx takes '{UnetTimestep}' as {_timestepType}; expected float, double, int64 or int32.");
        }

        _timestepDims = timestep.Dimensions;
        _unetBatch = sample.Dimensions.Length == 4 ? sample.Dimensions[0] : -1;
        int unetChannels = sample.Dimensions.Length == 4 ? sample.Dimensions[1] : -1;
        int decoderChannels = vaeDecoder.InputMetadata.First().Value.Dimensions is { Length: 4 } d ? d[1] : -1;
        UnetInChannels = unetChannels > 0 ? unetChannels : decoderChannels > 0 ? decoderChannels : ReadInt(folder, "unet", "in_channels") ?? 4;
        LatentChannels = decoderChannels > 0 ? decoderChannels : UnetInChannels == 9 ? 4 : UnetInChannels;
    }

    public string Folder { get; }

    /// <summary>UNet steps run since load, over all requests (shows that a cancelled request stops computing).</summary>
    public long DenoisingSteps => Interlocked.Read(ref _denoisingSteps);

    public SchedulerConfig Scheduler { get; }

    public float ScalingFactor { get; }

    public int LatentChannels { get; }

    /// <summary>The UNet's input channels: latent channels, or latent + 1 + latent for an inpainting UNet.</summary>
    public int UnetInChannels { get; }

    public bool IsInpaintingUnet => UnetInChannels == (2 * LatentChannels) + 1;

    /// <summary>Image-to-image and inpainting need the VAE encoder.</summary>
    public bool SupportsImageInput => _vaeEncoder is not null;

    public string NoImageInputReason => "has no vae_encoder, so it cannot take an input image";

    public bool Autoregressive => false;

    public long StepsRun => DenoisingSteps;

    public int MaxPromptTokens => _tokenizer.MaxLength;

    public TensorElementType TimestepType => _timestepType;

    public ClipTokenizer Tokenizer => _tokenizer;

    public static DiffusionPipeline Load(string folder, SessionFactory sessions)
    {
        folder = Path.GetFullPath(folder);
        if (!File.Exists(Path.Combine(folder, "model_index.json")))
        {
            throw new ModelLoadException($"{folder} is not a diffusers ONNX folder: model_index.json is missing.");
        }

        var opened = new List<InferenceSession>();
        try
        {
            InferenceSession Open(string part, bool required)
            {
                var path = Path.Combine(folder, part, "model.onnx");
                if (!File.Exists(path))
                {
                    return required ? throw new ModelLoadException($"{path} is missing.") : null!;
                }

                // Workers are parked between operators unless Runtime:AllowSpinning says otherwise: image requests
                // run concurrently, and spinning pools would take the cores that HTTP and encoding need.
                using var options = sessions.CreateOptions();
                try
                {
                    var session = sessions.Open(path, options);
                    opened.Add(session);
                    return session;
                }
                catch (OnnxRuntimeException e)
                {
                    throw new ModelLoadException($"{path} could not be loaded: {e.Message}", e);
                }
            }

            var text = Open("text_encoder", required: true);
            var unet = Open("unet", required: true);
            var decoder = Open("vae_decoder", required: true);
            var encoder = Open("vae_encoder", required: false);
            var tokenizer = ClipTokenizer.Load(Path.Combine(folder, "tokenizer"));
            var scheduler = SchedulerConfig.Load(Path.Combine(folder, "scheduler", "scheduler_config.json"));
            var scaling = ReadFloat(folder, "vae_decoder", "scaling_factor") ?? ReadFloat(folder, "vae", "scaling_factor") ?? 0.18215f;
            return new DiffusionPipeline(folder, text, unet, decoder, encoder, tokenizer, scheduler, scaling);
        }
        catch
        {
            foreach (var s in opened)
            {
                s.Dispose();
            }

            throw;
        }
    }

    public void Dispose()
    {
        _textEncoder.Dispose();
        _unet.Dispose();
        _vaeDecoder.Dispose();
        _vaeEncoder?.Dispose();
    }

    private static NodeMetadata Input(InferenceSession session, string name) =>
        session.InputMetadata.TryGetValue(name, out var meta)
            ? meta
            : throw new ModelLoadException($"The UNet has no input '{name}' (it has: {string.Join(", ", session.InputMetadata.Keys)}).");

    private static float? ReadFloat(string folder, string part, string key) =>
        ReadNumber(folder, part, key) is { } e ? (float)e.GetDouble() : null;

    private static int? ReadInt(string folder, string part, string key) =>
        ReadNumber(folder, part, key) is { } e && e.TryGetInt32(out var i) ? i : null;

    private static JsonElement? ReadNumber(string folder, string part, string key)
    {
        var path = Path.Combine(folder, part, "config.json");
        if (!File.Exists(path))
        {
            return null;
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.Clone() : null;
    }
}
