using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Janus;
using InferenceServer.Engine.Runtime;
using InferenceServer.Engine.Text;
using InferenceServer.Engine.Text.Tokenization;
using InferenceServer.Engine.Vision;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InferenceServer.Engine.Models;

/// <summary>Loads an ONNX Runtime GenAI folder into a <see cref="TextModel"/>; every failure names the file at fault.</summary>
public static class TextModelLoader
{
    public static TextModel Load(ModelOptions options, SessionFactory sessions, IServingObserver? observer = null, TimeProvider? clock = null)
    {
        var folder = Path.GetFullPath(options.Path);
        if (!Directory.Exists(folder))
        {
            throw new ModelLoadException($"Model '{options.Id}': folder '{folder}' does not exist.");
        }

        var tokenizerPath = Path.Combine(folder, "tokenizer.json");
        // A Janus-Pro ONNX folder (config.json of model_type multi_modality, graphs under onnx/), or a GenAI folder.
        var janus = !File.Exists(Path.Combine(folder, "genai_config.json")) && JanusConfig.IsJanusFolder(folder);
        var config = janus ? null : GenAiConfig.Load(Path.Combine(folder, "genai_config.json"));
        if (!File.Exists(tokenizerPath))
        {
            throw new ModelLoadException($"Model '{options.Id}': '{tokenizerPath}' does not exist.");
        }

        if (config is null)
        {
            return LoadJanus(options, folder, sessions, observer, clock);
        }

        var tokenizer = BpeTokenizer.Load(tokenizerPath);
        var template = ChatTemplate.Load(folder);
        var modelPath = Path.Combine(folder, config.DecoderFile);
        if (!File.Exists(modelPath))
        {
            throw new ModelLoadException($"Model '{options.Id}': '{modelPath}' does not exist (genai_config.json names it as the decoder).");
        }

        InferenceSession session;
        long hugePageBytes = 0;
        // One caller per session (the model's scheduler thread): spinning during a run pays off (ExecutionProfileOptions).
        using (var sessionOptions = sessions.CreateOptions(spinningByDefault: true))
        {
            try
            {
                var onHugePages = sessions.WeightsOnHugePages;
                var before = onHugePages ? HugePages.Snapshot() : [];
                session = sessions.Open(modelPath, sessionOptions);
                hugePageBytes = onHugePages ? HugePages.AdviseNewRegions(before) : 0;
            }
            catch (OnnxRuntimeException e)
            {
                throw new ModelLoadException($"Model '{options.Id}': ONNX Runtime cannot load '{modelPath}': {e.Message}", e);
            }
        }

        EmbeddingInput? input = null;
        VisionEncoder? vision = null;
        try
        {
            // A GenAI phi3v folder: the text graph reads inputs_embeds from the embedding graph; the vision graph encodes images.
            Phi3VisionConfig? visionConfig = null;
            if (config.ModelType == "phi3v")
            {
                Phi3VisionEncoder encoder;
                (input, encoder, visionConfig) = Phi3VisionLoader.Load(options.Id, folder, tokenizer, sessions);
                vision = encoder;
            }

            var graph = new DecoderGraph(session, config, visionConfig?.InputsEmbedsIn);
            return Create(options, folder, tokenizer, template, session, graph, input, vision, sessions, observer, clock, hugePageBytes);
        }
        catch
        {
            session.Dispose();
            input?.Dispose();
            vision?.Dispose();
            throw;
        }
    }

    /// <summary>A Janus-Pro folder: its language model behind prepare_inputs_embeds, with lm_head after each run (<see cref="JanusLoader"/>).</summary>
    private static TextModel LoadJanus(ModelOptions options, string folder, SessionFactory sessions, IServingObserver? observer, TimeProvider? clock)
    {
        var tokenizer = BpeTokenizer.Load(Path.Combine(folder, "tokenizer.json"));
        var template = ChatTemplate.Load(folder);
        var (session, graph, input, encoder) = JanusLoader.Load(options, folder, tokenizer, sessions);
        try
        {
            var model = Create(options, folder, tokenizer, template, session, graph, input, encoder, sessions, observer, clock, hugePageBytes: 0);
            try
            {
                model.ImageGeneration = JanusGenerationLoader.Load(options, folder, tokenizer, sessions, model);
            }
            catch
            {
                model.Dispose();
                throw;
            }

            return model;
        }
        catch
        {
            session.Dispose();
            graph.Head?.Dispose();
            input.Dispose();
            throw;
        }
    }

    private static TextModel Create(ModelOptions options, string folder, BpeTokenizer tokenizer, ChatTemplate template, InferenceSession session,
        DecoderGraph graph, TokenInput? input, VisionEncoder? vision, SessionFactory sessions, IServingObserver? observer, TimeProvider? clock, long hugePageBytes)
    {
        var c = graph.Config;
        var bytesPerToken = 2L * c.NumLayers * c.NumKvHeads * c.HeadSize * (graph.KvType is TensorElementType.Float16 or TensorElementType.BFloat16 ? 2 : 4);
        var budget = KvBudget.For(options, Math.Min(c.ContextLength, options.MaxContextLength), bytesPerToken, KvBudget.MachineBytes());
        var scheduling = options.Scheduling() with
        {
            Time = clock ?? TimeProvider.System,
            PrefixCacheDirectory = options.PrefixCacheDirectory is { Length: > 0 } root
                ? UsableDirectory(options.Id, Path.Combine(Path.GetFullPath(root), ModelBuildKey(folder, graph)))
                : null,
        };
        var decoder = new BatchDecoder(session, graph, scheduling.MaxSequences, budget.Context, budget.Tokens, input);
        try
        {
            decoder.ChooseKvLayout(c.BosTokenId);
        }
        catch (InvalidOperationException e)
        {
            decoder.Dispose();
            throw new ModelLoadException($"Model '{options.Id}': a first step through '{Path.Combine(folder, c.DecoderFile)}' failed: {e.Message}.", e);
        }
        catch
        {
            decoder.Dispose();
            throw;
        }

        return new TextModel(options.Id, folder, c, tokenizer, template, decoder, sessions.Plan, scheduling, observer ?? ServingObserver.None)
        {
            HugePageBytes = hugePageBytes,
            KvBudget = budget,
            Vision = vision,
        };
    }

    /// <summary>Creates the prefix cache's directory and proves a file can be written there, or says why not.</summary>
    private static string UsableDirectory(string modelId, string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".probe-{Guid.NewGuid():N}.tmp");
            File.WriteAllBytes(probe, [1]);
            File.Delete(probe);
            return directory;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelLoadException($"Model '{modelId}': the prefix cache directory '{directory}' cannot be written ({e.Message}); fix PrefixCacheDirectory or leave it empty.", e);
        }
    }

    /// <summary>
    /// Names one build of a model and its KV layout for the prefix cache's disk tier: the decoder's files (names,
    /// sizes, modification times) and the KV shape. Blocks written for another build are never read back.
    /// </summary>
    private static string ModelBuildKey(string folder, DecoderGraph graph)
    {
        var description = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(file);
            description.Append(Path.GetRelativePath(folder, file)).Append('|').Append(info.Length).Append('|').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
        }

        var c = graph.Config;
        description.Append(CultureInfo.InvariantCulture, $"kv {c.NumLayers} {c.NumKvHeads} {c.HeadSize} {graph.KvType}");
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(description.ToString()));
        return Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }
}
