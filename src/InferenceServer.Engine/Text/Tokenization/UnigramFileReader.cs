using System.Text.Json;

namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>Reads a Hugging Face tokenizer.json whose model is <c>Unigram</c> into a <see cref="UnigramTokenizer"/>.</summary>
internal static class UnigramFileReader
{
    public static UnigramTokenizer Read(string path) => TokenizerFileReader.ReadJson(path, Build);

    private static UnigramTokenizer Build(JsonElement root)
    {
        JsonElement model = root.GetProperty("model");
        string type = model.TryGetProperty("type", out JsonElement t) ? t.GetString() ?? string.Empty : string.Empty;
        if (type != "Unigram")
        {
            throw new NotSupportedException($"model type '{type}' is not Unigram");
        }

        var vocab = new List<(string, double)>();
        foreach (JsonElement entry in model.GetProperty("vocab").EnumerateArray())
        {
            vocab.Add((entry[0].GetString()!, entry[1].GetDouble()));
        }

        int? unknownId = model.TryGetProperty("unk_id", out JsonElement unk) && unk.ValueKind == JsonValueKind.Number
            ? unk.GetInt32() : null;
        bool byteFallback = model.TryGetProperty("byte_fallback", out JsonElement fallback)
            && fallback.ValueKind == JsonValueKind.True;

        return new UnigramTokenizer(
            new UnigramModel(vocab, unknownId, byteFallback),
            TokenizerFileReader.ReadAddedTokens(root),
            UnigramNormalizer.Read(Optional(root, "normalizer")),
            UnigramPreTokenizer.Read(Optional(root, "pre_tokenizer")),
            UnigramDecoder.Read(Optional(root, "decoder")),
            UnigramTemplate.Read(Optional(root, "post_processor")));
    }

    private static JsonElement? Optional(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Object ? value : null;
}
