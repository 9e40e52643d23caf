using System.Text.Json;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.Engine.Text.Tokenization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InferenceServer.Engine.Videos;

/// <summary>
/// A Wan 2.1 text-to-video pipeline over the ONNX folder optimum-onnx exports (diffusers' WanPipeline): UMT5 Unigram
/// tokenizer → text encoder → transformer denoising loop over [batch, channels, frames, height, width] latents
/// (flow matching, classifier-free guidance with a negative prompt) → latent denormalisation (latents_mean/std) →
/// causal 3-D VAE decoder; an I2V export (image_encoder/, vae_encoder/) also conditions on a picture. Thread-safe: each call owns its buffers; ONNX Runtime sessions allow concurrent runs.
/// </summary>
public sealed partial class VideoPipeline : IDisposable
{
    /// <summary>diffusers' WanPipeline pads and truncates prompts to 512 tokens.</summary>
    public const int MaxTextLength = 512;

    private readonly InferenceSession _textEncoder;
    private readonly InferenceSession _transformer;
    private readonly InferenceSession _vaeDecoder;
    private readonly InferenceSession? _imageEncoder;
    private readonly InferenceSession? _vaeEncoder;
    private readonly string _imageEncoderOutput = string.Empty;
    private readonly VideoImageProcessor _imageProcessor;
    private readonly UnigramTokenizer _tokenizer;
    private readonly string _sampleInput;
    private readonly TensorElementType _timestepType;
    private readonly float[] _latentsMean;
    private readonly float[] _latentsStd;
    private long _denoisingSteps;

    private VideoPipeline(string folder, InferenceSession textEncoder, InferenceSession transformer, InferenceSession vaeDecoder,
        (InferenceSession? ImageEncoder, InferenceSession? VaeEncoder, VideoImageProcessor Processor) image,
        UnigramTokenizer tokenizer, VideoSchedulerConfig scheduler, float[] latentsMean, float[] latentsStd)
    {
        Folder = folder;
        _textEncoder = textEncoder;
        _transformer = transformer;
        _vaeDecoder = vaeDecoder;
        _imageEncoder = image.ImageEncoder;
        _vaeEncoder = image.VaeEncoder;
        _imageProcessor = image.Processor;
        _tokenizer = tokenizer;
        Scheduler = scheduler;
        _sampleInput = transformer.InputMetadata.ContainsKey("hidden_states") ? "hidden_states" : "sample";
        var sample = Input(transformer, _sampleInput);
        _timestepType = Input(transformer, "timestep").ElementDataType;
        Input(transformer, "encoder_hidden_states");
        if (sample.ElementDataType != TensorElementType.Float || sample.Dimensions.Length != 5)
        {
            throw new ModelLoadException($"{folder}/transformer/model.onnx takes '{_sampleInput}' as {sample.ElementDataType} of rank {sample.Dimensions.Length}; this server runs float32 video exports over [batch, channels, frames, height, width].");
        }

        LatentChannels = latentsMean.Length;
        if (latentsStd.Length != LatentChannels)
        {
            throw new ModelLoadException($"{folder}/vae_decoder/config.json has {latentsMean.Length} latents_mean and {latentsStd.Length} latents_std values.");
        }

        // Wan 2.1 I2V: the transformer also takes the CLIP hidden states, and z + 4 + z channels (latents, mask, condition).
        SupportsImageInput = transformer.InputMetadata.ContainsKey("encoder_hidden_states_image");
        int expected = SupportsImageInput ? (2 * LatentChannels) + MaskChannels : LatentChannels;
        if (sample.Dimensions[1] > 0 && sample.Dimensions[1] != expected)
        {
            throw new ModelLoadException($"{folder}/transformer/model.onnx takes {sample.Dimensions[1]} channels; with {LatentChannels} latent channels (vae_decoder/config.json) a {(SupportsImageInput ? "image" : "text")}-to-video transformer takes {expected}.");
        }

        if (SupportsImageInput && (_imageEncoder is null || _vaeEncoder is null))
        {
            throw new ModelLoadException($"{folder} has an image-to-video transformer (encoder_hidden_states_image) but no {(_imageEncoder is null ? "image_encoder" : "vae_encoder")}/model.onnx.");
        }

        if (_imageEncoder is not null)
        {
            _imageEncoderOutput = _imageEncoder.OutputMetadata.ContainsKey("image_embeds") ? "image_embeds" : _imageEncoder.OutputNames[0];
        }

        _latentsMean = latentsMean;
        _latentsStd = latentsStd;
    }

    public string Folder { get; }

    public VideoSchedulerConfig Scheduler { get; }

    public int LatentChannels { get; }

    /// <summary>Transformer runs since load, over all jobs (shows that a cancelled job stops computing).</summary>
    public long DenoisingSteps => Interlocked.Read(ref _denoisingSteps);

    /// <summary>Whether this is an image-to-video export (Wan 2.1 I2V: image encoder, VAE encoder, a conditioned transformer).</summary>
    public bool SupportsImageInput { get; }

    public static VideoPipeline Load(string folder, SessionFactory sessions)
    {
        folder = Path.GetFullPath(folder);
        if (!File.Exists(Path.Combine(folder, "model_index.json")))
        {
            throw new ModelLoadException($"{folder} is not a diffusers ONNX video folder: model_index.json is missing.");
        }

        var opened = new List<InferenceSession>();
        try
        {
            InferenceSession? Open(string part, bool required = true)
            {
                var path = Path.Combine(folder, part, "model.onnx");
                if (!File.Exists(path))
                {
                    return required ? throw new ModelLoadException($"{path} is missing.") : null;
                }

                using var options = sessions.CreateOptions();
                try
                {
                    var session = new InferenceSession(path, options);
                    opened.Add(session);
                    return session;
                }
                catch (OnnxRuntimeException e)
                {
                    throw new ModelLoadException($"{path} could not be loaded: {e.Message}", e);
                }
            }

            var text = Open("text_encoder")!;
            var transformer = Open("transformer")!;
            var decoder = Open("vae_decoder")!;
            var image = (Open("image_encoder", required: false), Open("vae_encoder", required: false), VideoImageProcessor.Load(folder));
            var tokenizer = UnigramTokenizer.FromTokenizerJson(Path.Combine(folder, "tokenizer", "tokenizer.json"));
            var scheduler = VideoSchedulerConfig.Load(Path.Combine(folder, "scheduler", "scheduler_config.json"));
            var (mean, std) = ReadLatentStatistics(folder);
            return new VideoPipeline(folder, text, transformer, decoder, image, tokenizer, scheduler, mean, std);
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
        _transformer.Dispose();
        _vaeDecoder.Dispose();
        _imageEncoder?.Dispose();
        _vaeEncoder?.Dispose();
    }

    private static NodeMetadata Input(InferenceSession session, string name) =>
        session.InputMetadata.TryGetValue(name, out var meta)
            ? meta
            : throw new ModelLoadException($"The transformer has no input '{name}' (it has: {string.Join(", ", session.InputMetadata.Keys)}).");

    /// <summary>AutoencoderKLWan's per-channel latents_mean and latents_std, from vae_decoder/ (or vae/) config.json.</summary>
    private static (float[] Mean, float[] Std) ReadLatentStatistics(string folder)
    {
        foreach (var part in new[] { "vae_decoder", "vae" })
        {
            var path = Path.Combine(folder, part, "config.json");
            if (!File.Exists(path))
            {
                continue;
            }

            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(path));
                if (doc.RootElement.TryGetProperty("latents_mean", out var m) && doc.RootElement.TryGetProperty("latents_std", out var s))
                {
                    return ([.. m.EnumerateArray().Select(v => (float)v.GetDouble())], [.. s.EnumerateArray().Select(v => (float)v.GetDouble())]);
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                throw new ModelLoadException($"{path} has unreadable latents_mean/latents_std: {e.Message}", e);
            }
        }

        throw new ModelLoadException($"{folder}/vae_decoder/config.json lacks latents_mean and latents_std (AutoencoderKLWan's latent normalisation).");
    }
}
