using System.Text.Json;
using InferenceServer.Engine.Embeddings;
using InferenceServer.Errors;

namespace InferenceServer.Embeddings;

/// <summary>
/// Turns <c>input</c> (string, strings, token ids, token-id arrays) into the sequences the model reads, refusing what
/// OpenAI refuses: empty inputs, more than <see cref="EmbeddingLimits.MaxInputs"/>, an input past the model's token
/// maximum, ids outside the vocabulary. Never truncates.
/// </summary>
internal static class EmbeddingInputReader
{
    private const string Shape = "'input' must be a string, an array of strings, an array of token ids, or an array of token-id arrays.";

    public static List<int[]> Read(JsonElement? input, EmbeddingModel model)
    {
        if (input is not { } value || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            throw ApiException.InvalidParameter("input", "Missing required parameter: 'input'.");
        }

        var sequences = new List<int[]>();
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                sequences.Add(Text(value, "input", model));
                break;
            case JsonValueKind.Array:
                ReadArray(value, model, sequences);
                break;
            default:
                throw ApiException.InvalidFormat(Shape, "input");
        }

        for (var i = 0; i < sequences.Count; i++)
        {
            if (sequences[i].Length > model.MaxTokens)
            {
                var where = value.ValueKind == JsonValueKind.String || IsIdArray(value) ? "input" : $"input[{i}]";
                throw ApiException.InvalidFormat(
                    $"{where} has {sequences[i].Length} tokens, but {model.Id} takes at most {model.MaxTokens} tokens per input " +
                    "(counting [CLS] and [SEP]). Shorten the input or split it; the server does not truncate.", where);
            }
        }

        return sequences;
    }

    private static void ReadArray(JsonElement array, EmbeddingModel model, List<int[]> sequences)
    {
        var count = array.GetArrayLength();
        if (count == 0)
        {
            throw ApiException.InvalidFormat("'input' must not be an empty array.", "input");
        }

        if (IsIdArray(array))
        {
            sequences.Add(model.WithSpecialTokens(Ids(array, "input", model)));
            return;
        }

        if (count > EmbeddingLimits.MaxInputs)
        {
            throw ApiException.InvalidFormat(
                $"'input' has {count} items; at most {EmbeddingLimits.MaxInputs} inputs are allowed per request.", "input");
        }

        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var param = $"input[{index}]";
            sequences.Add(item.ValueKind switch
            {
                JsonValueKind.String => Text(item, param, model),
                JsonValueKind.Array when item.GetArrayLength() == 0 => throw ApiException.InvalidFormat($"{param} must not be an empty array.", param),
                JsonValueKind.Array => model.WithSpecialTokens(Ids(item, param, model)),
                _ => throw ApiException.InvalidFormat(Shape + $" {param} is neither.", param),
            });
            index++;
        }
    }

    private static bool IsIdArray(JsonElement array) =>
        array.ValueKind == JsonValueKind.Array && array.GetArrayLength() > 0 && array[0].ValueKind == JsonValueKind.Number;

    private static int[] Text(JsonElement value, string param, EmbeddingModel model)
    {
        var text = value.GetString()!;
        if (text.Length == 0)
        {
            throw ApiException.InvalidFormat($"{param} must not be an empty string.", param);
        }

        return model.Tokenize(text);
    }

    private static int[] Ids(JsonElement array, string param, EmbeddingModel model)
    {
        var ids = new int[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var id))
            {
                throw ApiException.InvalidFormat($"{param}[{i}] is not a token id (an integer).", param);
            }

            if (id < 0 || id >= model.Tokenizer.VocabSize)
            {
                throw ApiException.InvalidFormat(
                    $"{param}[{i}] is token id {id}, outside the vocabulary of {model.Id} (0 to {model.Tokenizer.VocabSize - 1}).", param);
            }

            ids[i++] = id;
        }

        return ids;
    }
}
