using InferenceServer.Engine.Generation;

namespace InferenceServer.Chat;

/// <summary>
/// The usage of a request's choices as OpenAI reports it: the prompt (and its cache hit) once, since the choices share
/// one prefill; completion and reasoning tokens summed over the choices.
/// </summary>
internal static class ChoiceUsage
{
    public static GenerationUsage Add(GenerationUsage? total, GenerationUsage choice) => total is null
        ? choice
        : total with
        {
            CompletionTokens = total.CompletionTokens + choice.CompletionTokens,
            ReasoningTokens = total.ReasoningTokens + choice.ReasoningTokens,
        };
}
