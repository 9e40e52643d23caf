using InferenceServer.Engine.Text.Tokenization;
using InferenceServer.ModelForge.Decoder;
using InferenceServer.ModelForge.Demo;
using InferenceServer.ModelForge.Tokenizer;

namespace InferenceServer.ModelForge;

/// <summary>
/// Writes the forge's text models as ONNX Runtime GenAI folders: the scripted demo model (deterministic replies,
/// see <see cref="ForgeScripts"/>) and random-weight variants with the same tokenizer and template.
/// </summary>
public static class DemoModels
{
    /// <summary>Bump when the written bytes change, so cached folders are rewritten.</summary>
    public const string Version = "v4";

    /// <summary>The scripted model under <paramref name="cacheRoot"/>, written on first use.</summary>
    public static string EnsureScripted(string cacheRoot) => Ensure(cacheRoot, $"scripted-{Version}", folder => WriteScripted(folder));

    /// <summary>
    /// The scripted model with a Qwen-style tokenizer under <paramref name="cacheRoot"/>: DeepSeek's tool-call markers
    /// left out, so <c>&lt;tool_call&gt;</c> (one added token) is its only tool-call form; no "weather" script.
    /// </summary>
    public static string EnsureScriptedHermes(string cacheRoot) =>
        Ensure(cacheRoot, $"scripted-hermes-{Version}", folder => WriteScripted(folder, deepSeekToolMarkers: false));

    /// <summary>A random-weight model under <paramref name="cacheRoot"/>, written on first use.</summary>
    public static string EnsureRandom(string cacheRoot, RandomVariant variant = RandomVariant.FusedRotary) =>
        Ensure(cacheRoot, $"random-{variant.ToString().ToLowerInvariant()}-{Version}", folder => WriteRandom(folder, variant));

    /// <summary>
    /// The benchmark model under <paramref name="cacheRoot"/>: random weights sized so a decode step is real matrix
    /// work on a small CPU (hidden 1024, 4 layers, 16 heads over 4 KV heads, about 46 million parameters).
    /// </summary>
    public static string EnsureBench(string cacheRoot) => Ensure(cacheRoot, $"bench-{Version}", folder => WriteBench(folder, int4: false));

    /// <summary>
    /// The benchmark model's int4 build under <paramref name="cacheRoot"/>: the same weights, every linear layer
    /// quantized by the forge's <see cref="Decoder.Int4Quantizer"/> into <c>MatMulNBits</c> (4 bits, block 32,
    /// accuracy level 4), as real CPU exports are.
    /// </summary>
    public static string EnsureBenchInt4(string cacheRoot) => Ensure(cacheRoot, $"bench-int4-{Version}", folder => WriteBench(folder, int4: true));

    /// <summary>
    /// The copy-heavy model of the speculation benchmark (see <see cref="QuoteScript"/>): about the bench model's size
    /// (<paramref name="benchSize"/>: hidden 1024, 2 layers of intermediate 5632, about 40 million parameters) or the
    /// demo's small one, with scripted weights that quote the prompt's passage.
    /// </summary>
    public static string EnsureQuote(string cacheRoot, bool benchSize) =>
        Ensure(cacheRoot, $"quote-{(benchSize ? "bench-2l" : "small")}-{Version}", folder => WriteQuote(folder, benchSize));

    public static void WriteQuote(string folder, bool benchSize)
    {
        Directory.CreateDirectory(folder);
        var vocabulary = ForgeTokenizerWriter.Write(folder, QuoteScript.WholeWords, ForgeChatTemplate.Text);
        var tokenizer = BpeTokenizer.Load(Path.Combine(folder, "tokenizer.json"));
        var spec = Spec(vocabulary, withPositionIds: false, int4: false);
        if (benchSize)
        {
            // The bench model's width and about its MLP weights, in 2 layers: a scripted unit's logit is about
            // Gain / (2 × layers), which at 4 layers would only tie the EOS logit.
            spec = spec with { HiddenSize = 1024, NumHeads = 16, NumKvHeads = 4, HeadSize = 64, NumLayers = 2, IntermediateSize = 5632, ContextLength = 2048 };
        }

        DecoderModelWriter.Write(folder, spec, ScriptedDecoderWeights.Create(spec, QuoteScript.Table(tokenizer, vocabulary)));
    }

    public static void WriteBench(string folder, bool int4)
    {
        Directory.CreateDirectory(folder);
        var vocabulary = ForgeTokenizerWriter.Write(folder, ForgeScripts.WholeWords, ForgeChatTemplate.Text);
        var spec = Spec(vocabulary, withPositionIds: false, int4) with
        {
            HiddenSize = 1024,
            NumHeads = 16,
            NumKvHeads = 4,
            HeadSize = 64,
            NumLayers = 4,
            IntermediateSize = 2816,
            ContextLength = 2048,
        };
        var weights = RandomDecoderWeights.Create(spec, seed: 4321);

        // EOS reads nothing: its logit is exactly 0 while the best of the other tokens is well above 0, so greedy
        // decoding never ends early and both engines in the benchmark produce the requested number of tokens.
        for (var h = 0; h < spec.HiddenSize; h++)
        {
            weights.LmHead[(h * spec.VocabSize) + vocabulary.EosId] = 0f;
        }

        DecoderModelWriter.Write(folder, spec, weights);
    }

    public static void WriteScripted(string folder, bool deepSeekToolMarkers = true)
    {
        Directory.CreateDirectory(folder);
        var vocabulary = ForgeTokenizerWriter.Write(folder, ForgeScripts.WholeWords, ForgeChatTemplate.Text, deepSeekToolMarkers);
        var tokenizer = BpeTokenizer.Load(Path.Combine(folder, "tokenizer.json"));
        var spec = Spec(vocabulary, withPositionIds: false, int4: false);
        var table = new ScriptTableBuilder(tokenizer, vocabulary).Build();
        DecoderModelWriter.Write(folder, spec, ScriptedDecoderWeights.Create(spec, table));
    }

    public static void WriteRandom(string folder, RandomVariant variant)
    {
        Directory.CreateDirectory(folder);
        var vocabulary = ForgeTokenizerWriter.Write(folder, ForgeScripts.WholeWords, ForgeChatTemplate.Text);
        var spec = Spec(vocabulary, withPositionIds: variant is RandomVariant.PositionIds or RandomVariant.ConcatKv, int4: variant == RandomVariant.Int4)
            with
        { ConcatKv = variant == RandomVariant.ConcatKv };
        DecoderModelWriter.Write(folder, spec, RandomDecoderWeights.Create(spec, seed: 1234));
    }

    private static DecoderSpec Spec(ForgeVocabulary v, bool withPositionIds, bool int4) =>
        DecoderSpec.Demo(v.VocabSize, v.BosId, v.EosId, v.PadId) with { WithPositionIds = withPositionIds, Int4Weights = int4 };

    /// <summary>
    /// Writes into a fresh folder and renames it into place, so a half-written model is never served; a folder holding
    /// <paramref name="marker"/> is taken as written.
    /// </summary>
    internal static string Ensure(string cacheRoot, string name, Action<string> write, string marker = "genai_config.json")
    {
        var folder = Path.Combine(Path.GetFullPath(cacheRoot), name);
        if (File.Exists(Path.Combine(folder, marker)))
        {
            return folder;
        }

        var staging = folder + ".tmp-" + Guid.NewGuid().ToString("N");
        write(staging);
        try
        {
            Directory.Move(staging, folder);
        }
        catch (IOException) when (File.Exists(Path.Combine(folder, marker)))
        {
            // Another process finished first; its folder has the same bytes.
            Directory.Delete(staging, recursive: true);
        }

        return folder;
    }
}
