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
/// causal 3-D VAE decoder. Thread-safe: each call owns its buffers; ONNX Runtime sessions allow concurrent runs.
/// </summary>
public sealed partial class VideoPipeline : IDisposable
{
    /// <summary>diffusers' WanPipeline pads and truncates prompts to 512 tokens.</summary>
    public const int MaxTextLength = 512;

    private readonly InferenceSession _textEncoder;
    private readonly InferenceSession _transformer;
    private readonly InferenceSession _vaeDecoder;
    private readonly UnigramTokenizer _tokenizer;
    private readonly string _sampleInput;
    private readonly TensorElementType _timestepType;
    private readonly float[] _latentsMean;
    private readonly float[] _latentsStd;
    private long _denoisingSteps;

    private VideoPipeline(string folder, InferenceSession textEncoder, InferenceSession transformer, InferenceSession vaeDecoder,
        UnigramTokenizer tokenizer, VideoSchedulerConfig scheduler, float[] latentsMean, float[] latentsStd)
    {
        Folder = folder;
        _textEncoder = textEncoder;
        _transformer = transformer;
        _vaeDecoder = vaeDecoder;
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

        LatentChannels = sample.Dimensions[1] > 0 ? sample.Dimensions[1] : latentsMean.Length;
        if (latentsMean.Length != LatentChannels || latentsStd.Length != LatentChannels)
        {
            throw new ModelLoadException($"{folder}/vae_decoder/config.json has {latentsMean.Length} latents_mean and {latentsStd.Length} latents_std values; the transformer has {LatentChannels} channels.");
        }

        _latentsMean = latentsMean;
        _latentsStd = latentsStd;
    }

    public string Folder { get; }

    public VideoSchedulerConfig Scheduler { get; }

    public int LatentChannels { get; }

    /// <summary>Transformer runs since load, over all jobs (shows that a cancelled job stops computing).</summary>
    public long DenoisingSteps => Interlocked.Read(ref _denoisingSteps);

    /// <summary>Image-to-video needs an I2V export (an image encoder); this pipeline is text-to-video.</summary>
    public bool SupportsImageInput => false;

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
            InferenceSession Open(string part)
            {
                var path = Path.Combine(folder, part, "model.onnx");
                if (!File.Exists(path))
                {
                    throw new ModelLoadException($"{path} is missing.");
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

            var text = Open("text_encoder");
            var transformer = Open("transformer");
            var decoder = Open("vae_decoder");
            var tokenizer = UnigramTokenizer.FromTokenizerJson(Path.Combine(folder, "tokenizer", "tokenizer.json"));
            var scheduler = VideoSchedulerConfig.Load(Path.Combine(folder, "scheduler", "scheduler_config.json"));
            var (mean, std) = ReadLatentStatistics(folder);
            return new VideoPipeline(folder, text, transformer, decoder, tokenizer, scheduler, mean, std);
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
