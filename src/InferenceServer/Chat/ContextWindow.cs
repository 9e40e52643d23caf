using InferenceServer.Engine.Text.Tokenization;
using InferenceServer.Errors;

namespace InferenceServer.Chat;

/// <summary>DeepSeek's two context checks, shared by chat and text completions: the max_tokens range, and prompt + output.</summary>
internal static class ContextWindow
{
    /// <summary>422 when <paramref name="requested"/> is outside [1, <paramref name="cap"/>] (<see cref="int.MaxValue"/>: no upper bound).</summary>
    public static void CheckMaxTokens(string param, int? requested, int cap)
    {
        if (requested is { } max && (max < 1 || max > cap))
        {
            throw ApiException.InvalidParameter(param, cap == int.MaxValue
                ? $"Invalid {param} value {max}: it must be at least 1."
                : $"Invalid max_tokens value, the valid range of max_tokens is [1, {cap}]");
        }
    }

    /// <summary>
    /// Tokenizes <paramref name="text"/> only as far as twice the context: a prompt known to be longer is refused (400 with
    /// DeepSeek's message, its count given as "at least") without tokenizing the rest of it; a shorter one is counted
    /// exactly, so a prompt just over the limit gets DeepSeek's message with its exact count. Returns the prompt's ids and
    /// the tokens left for output.
    /// </summary>
    public static (int[] Tokens, int Room) Fit(BpeTokenizer tokenizer, string text, int contextLength, int? requested, string input)
    {
        if (!tokenizer.TryEncode(text, 2 * contextLength, out var tokens, out var atLeast))
        {
            var completion = requested ?? 1;
            throw ApiException.InvalidFormat(
                $"This model's maximum context length is {contextLength} tokens. However, you requested at least {atLeast + completion} tokens " +
                $"(at least {atLeast} in the {input}, {completion} in the completion). Please reduce the length of the {input} or completion.",
                input);
        }

        return (tokens, Room(contextLength, tokens.Length, requested, input));
    }

    /// <summary>
    /// The tokens left for output after a prompt of <paramref name="promptTokens"/>; 400 with DeepSeek's message when the
    /// prompt (with the requested output) does not fit. <paramref name="input"/> names the prompt: "messages" or "prompt".
    /// </summary>
    public static int Room(int contextLength, int promptTokens, int? requested, string input)
    {
        var room = contextLength - promptTokens;
        if (room < 1 || (requested is { } asked && asked > room))
        {
            var completion = requested ?? 1;
            throw ApiException.InvalidFormat(
                $"This model's maximum context length is {contextLength} tokens. However, you requested {promptTokens + completion} tokens " +
                $"({promptTokens} in the {input}, {completion} in the completion). Please reduce the length of the {input} or completion.",
                input);
        }

        return room;
    }
}
