using System.Text.Json;
using InferenceServer.Engine.Models;

namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>Reads a Hugging Face tokenizer.json into a <see cref="BpeTokenizer"/>.</summary>
internal static class TokenizerFileReader
{
    public static BpeTokenizer Read(string path) => ReadJson(path, Build);

    /// <summary>
    /// Parses the tokenizer.json at <paramref name="path"/> and builds a tokenizer from its root with
    /// <paramref name="build"/>; an unreadable, malformed or unsupported file is a <see cref="ModelLoadException"/>.
    /// </summary>
    internal static T ReadJson<T>(string path, Func<JsonElement, T> build)
    {
        JsonDocument document;
        try
        {
            using FileStream stream = File.OpenRead(path);
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new ModelLoadException($"Cannot read tokenizer file '{path}': {ex.Message}", ex);
        }

        using (document)
        {
            try
            {
                return build(document.RootElement);
            }
            catch (Exception ex) when (ex is NotSupportedException or KeyNotFoundException or InvalidOperationException
                                          or FormatException or ArgumentException or JsonException)
            {
                throw new ModelLoadException($"Tokenizer file '{path}' is invalid or unsupported: {ex.Message}", ex);
            }
        }
    }

    private static BpeTokenizer Build(JsonElement root)
    {
        JsonElement model = root.GetProperty("model");
        string type = model.TryGetProperty("type", out JsonElement t) ? t.GetString() ?? string.Empty : "BPE";
        if (type != "BPE")
        {
            throw new NotSupportedException($"model type '{type}' is not supported (only BPE)");
        }

        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (JsonProperty entry in model.GetProperty("vocab").EnumerateObject())
        {
            vocab[entry.Name] = entry.Value.GetInt32();
        }

        var merges = ReadMerges(model, vocab);
        var addedTokens = ReadAddedTokens(root);
        int? unknownId = null;
        if (model.TryGetProperty("unk_token", out JsonElement unk) && unk.ValueKind == JsonValueKind.String)
        {
            unknownId = vocab.TryGetValue(unk.GetString()!, out int id) ? id : FindAdded(addedTokens, unk.GetString()!);
        }

        var options = new BpeOptions(unknownId, Flag(model, "fuse_unk"), Flag(model, "byte_fallback"), Flag(model, "ignore_merges"));
        var bpe = new BpeModel(vocab, merges, options);
        return new BpeTokenizer(
            bpe,
            addedTokens,
            PipelineReader.ReadNormalizer(Child(root, "normalizer")),
            PipelineReader.ReadPreTokenizer(Child(root, "pre_tokenizer")),
            PipelineReader.ReadDecoder(Child(root, "decoder")));
    }

    private static Dictionary<long, MergeRule> ReadMerges(JsonElement model, Dictionary<string, int> vocab)
    {
        var merges = new Dictionary<long, MergeRule>();
        if (!model.TryGetProperty("merges", out JsonElement list) || list.ValueKind != JsonValueKind.Array)
        {
            return merges;
        }

        int rank = 0;
        foreach (JsonElement merge in list.EnumerateArray())
        {
            string left;
            string right;
            if (merge.ValueKind == JsonValueKind.Array)
            {
                left = merge[0].GetString()!;
                right = merge[1].GetString()!;
            }
            else
            {
                string text = merge.GetString()!;
                int space = text.IndexOf(' ', 1);
                if (space < 0)
                {
                    throw new FormatException($"merge '{text}' is not two symbols separated by a space");
                }

                left = text[..space];
                right = text[(space + 1)..];
            }

            if (!vocab.TryGetValue(left, out int leftId) || !vocab.TryGetValue(right, out int rightId)
                || !vocab.TryGetValue(left + right, out int mergedId))
            {
                throw new FormatException($"merge '{left} {right}' uses a symbol that is not in the vocab");
            }

            merges.TryAdd(BpeModel.PairKey(leftId, rightId), new MergeRule(rank, mergedId));
            rank++;
        }

        return merges;
    }

    internal static List<AddedToken> ReadAddedTokens(JsonElement root)
    {
        var tokens = new List<AddedToken>();
        if (!root.TryGetProperty("added_tokens", out JsonElement list) || list.ValueKind != JsonValueKind.Array)
        {
            return tokens;
        }

        foreach (JsonElement token in list.EnumerateArray())
        {
            bool special = Flag(token, "special");
            tokens.Add(new AddedToken(
                token.GetProperty("id").GetInt32(),
                token.GetProperty("content").GetString()!,
                special,
                Flag(token, "lstrip"),
                Flag(token, "rstrip"),
                Flag(token, "single_word"),
                token.TryGetProperty("normalized", out JsonElement normalized) ? normalized.GetBoolean() : !special));
        }

        return tokens;
    }

    private static int? FindAdded(List<AddedToken> tokens, string content)
    {
        foreach (AddedToken token in tokens)
        {
            if (token.Content == content)
            {
                return token.Id;
            }
        }

        return null;
    }

    private static JsonElement Child(JsonElement node, string name) =>
        node.TryGetProperty(name, out JsonElement child) ? child : default;

    private static bool Flag(JsonElement node, string name) =>
        node.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.True;
}
