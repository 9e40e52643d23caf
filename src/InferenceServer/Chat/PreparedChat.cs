using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Models;

namespace InferenceServer.Chat;

/// <summary>A validated chat request, rendered and tokenized, ready to run.</summary>
internal sealed record PreparedChat(ServedModel Served, GenerationRequest Generation, bool Stream, bool IncludeUsage, bool Thinking)
{
    public bool Logprobs => Generation.TopLogprobs is not null;

    /// <summary>Choices to generate from the prompt (<c>n</c>).</summary>
    public int Choices { get; init; } = 1;
}
