using InferenceServer.Contracts;
using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Models;
using InferenceServer.Errors;

namespace InferenceServer.Chat;

/// <summary>Validates a chat request, resolves its model, renders the chat template and checks the context window.</summary>
public sealed class ChatPreparer
{
    /// <summary>DeepSeek's defaults for an unset <c>max_tokens</c>: 8K without thinking, 64K with (capped by the context).</summary>
    private const int DefaultMaxTokens = 8192;
    private const int DefaultThinkingMaxTokens = 65536;
    private readonly ModelRegistry _registry;

    public ChatPreparer(ModelRegistry registry) => _registry = registry;

    internal PreparedChat Prepare(ChatCompletionRequest r)
    {
        ChatRequestValidator.Validate(r);
        if (!_registry.TryResolve(r.Model!, out var served))
        {
            throw ApiException.ModelNotFound(r.Model!);
        }

        var model = served.Model;
        var thinking = ThinkingMode.Resolve(served, r);
        var requested = r.MaxTokens ?? r.MaxCompletionTokens;
        var maxParam = r.MaxTokens is not null ? "max_tokens" : "max_completion_tokens";
        if (requested is { } max && (max < 1 || max > model.ContextLength))
        {
            throw ApiException.InvalidParameter(maxParam, $"Invalid max_tokens value, the valid range of max_tokens is [1, {model.ContextLength}]");
        }

        var messages = r.Messages!.Select(m => new ChatMessage(
            Role: m.Role == "developer" ? "system" : m.Role!,
            Content: m.Content?.Text,
            ReasoningContent: m.ReasoningContent,
            Name: m.Name,
            Prefix: m.Prefix == true,
            ToolCallId: m.ToolCallId)).ToList();
        var prompt = model.Template.Render(messages, thinking);
        var tokens = model.Tokenizer.Encode(prompt.Text);
        var room = model.ContextLength - tokens.Length;
        if (room < 1 || (requested is { } asked && asked > room))
        {
            var completion = requested ?? 1;
            throw ApiException.InvalidFormat(
                $"This model's maximum context length is {model.ContextLength} tokens. However, you requested {tokens.Length + completion} tokens " +
                $"({tokens.Length} in the messages, {completion} in the completion). Please reduce the length of the messages or completion.",
                "messages");
        }

        var maxTokens = requested ?? Math.Min(room, thinking ? DefaultThinkingMaxTokens : DefaultMaxTokens);
        var sampling = new SamplingOptions(
            Temperature: (float)(r.Temperature ?? 1.0),
            TopP: (float)(r.TopP ?? 1.0),
            TopK: r.TopK ?? 0,
            Seed: r.Seed,
            FrequencyPenalty: (float)(r.FrequencyPenalty ?? 0),
            PresencePenalty: (float)(r.PresencePenalty ?? 0));
        var generation = new GenerationRequest(tokens, maxTokens, sampling, r.Stop ?? [], prompt.StartsInsideThinking);
        return new PreparedChat(served, generation, r.Stream == true, r.StreamOptions?.IncludeUsage == true, thinking);
    }
}
