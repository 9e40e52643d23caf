using System.Text.Json;

namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>
/// The single-sequence template of a <c>TemplateProcessing</c> post-processor: the special-token ids before and after
/// sequence <c>A</c> (T5: none before, <c>&lt;/s&gt;</c> after). Also reads a <c>Sequence</c> holding one.
/// </summary>
internal sealed record UnigramTemplate(IReadOnlyList<int> PrefixIds, IReadOnlyList<int> SuffixIds)
{
    public static UnigramTemplate? Read(JsonElement? element)
    {
        if (element is not { ValueKind: JsonValueKind.Object } processor)
        {
            return null;
        }

        string type = processor.GetProperty("type").GetString() ?? string.Empty;
        if (type == "Sequence")
        {
            UnigramTemplate? found = null;
            foreach (JsonElement inner in processor.GetProperty("processors").EnumerateArray())
            {
                found = Read(inner) ?? found;
            }

            return found;
        }

        if (type != "TemplateProcessing")
        {
            throw new NotSupportedException($"post-processor '{type}' is not supported by the Unigram tokenizer");
        }

        JsonElement specials = processor.GetProperty("special_tokens");
        var prefix = new List<int>();
        var suffix = new List<int>();
        bool seenSequence = false;
        foreach (JsonElement item in processor.GetProperty("single").EnumerateArray())
        {
            if (item.TryGetProperty("Sequence", out _))
            {
                seenSequence = true;
                continue;
            }

            string id = item.GetProperty("SpecialToken").GetProperty("id").GetString()!;
            List<int> target = seenSequence ? suffix : prefix;
            foreach (JsonElement value in specials.GetProperty(id).GetProperty("ids").EnumerateArray())
            {
                target.Add(value.GetInt32());
            }
        }

        return new UnigramTemplate(prefix, suffix);
    }
}
