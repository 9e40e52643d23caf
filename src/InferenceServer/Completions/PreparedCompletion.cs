using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Models;

namespace InferenceServer.Completions;

/// <summary>A validated text completion, tokenized and ready to run. <see cref="Echo"/> is the prompt text to return first, if asked.</summary>
internal sealed record PreparedCompletion(ServedModel Served, GenerationRequest Generation, bool Stream, bool IncludeUsage, string? Echo, int? Logprobs)
{
    /// <summary>Choices to generate from the prompt (<c>n</c>).</summary>
    public int Choices { get; init; } = 1;
}
