using InferenceServer.Contracts;
using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Generation.Constraints;
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

    /// <param name="beta">The request came through <c>/beta</c> (prefix completion, strict tools).</param>
    internal PreparedChat Prepare(ChatCompletionRequest r, bool beta = false)
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
        ContextWindow.CheckMaxTokens(maxParam, requested, model.ContextLength);

        var tools = ToolsReader.Read(r.Tools, r.ToolChoice, beta);
        if (thinking && tools.Forced)
        {
            throw ApiException.InvalidFormat("tool_choice 'required' and named functions are not supported in thinking mode; use 'auto' or turn thinking off.", "tool_choice");
        }

        if (!beta && r.Messages![^1].Prefix == true)
        {
            throw ApiException.InvalidFormat("Chat prefix completion is a beta feature: send the request to /beta/chat/completions.", $"messages[{r.Messages.Count - 1}].prefix");
        }

        var messages = ChatMessageReader.Read(r.Messages!, thinking);
        var prompt = model.Template.Render(messages, thinking, tools.Tools);
        var (tokens, room) = ContextWindow.Fit(model.Tokenizer, prompt.Text, model.ContextLength, requested, "messages");

        var maxTokens = requested ?? Math.Min(room, thinking ? DefaultThinkingMaxTokens : DefaultMaxTokens);
        // In thinking mode temperature and the penalties are accepted and ignored, and top_p is at least 0.95 (DeepSeek's rules).
        var sampling = thinking
            ? new SamplingOptions(Temperature: 1f, TopP: (float)Math.Max(r.TopP ?? 1.0, 0.95), TopK: r.TopK ?? 0, Seed: r.Seed)
            : new SamplingOptions(
                Temperature: (float)(r.Temperature ?? 1.0),
                TopP: (float)(r.TopP ?? 1.0),
                TopK: r.TopK ?? 0,
                Seed: r.Seed,
                FrequencyPenalty: (float)(r.FrequencyPenalty ?? 0),
                PresencePenalty: (float)(r.PresencePenalty ?? 0));
        var generation = new GenerationRequest(tokens, maxTokens, sampling, r.Stop ?? [], prompt.StartsInsideThinking)
        {
            ParseToolCalls = tools.ParseCalls,
            Grammar = tools.Forced
                ? TokenGrammar.ToolCall(model.Tokenizer, tools.Allowed, tools.ProgramsOf(tools.Allowed))
                : tools.StrictAuto // null (unconstrained) when no single token starts a call: Hermes without a <tool_call> token
                ? TokenGrammar.ToolCall(model.Tokenizer, tools.Names, tools.ProgramsOf(tools.Names)).WhenToolCallStarts()
                : r.ResponseFormat?.Type switch
                {
                    "json_object" => TokenGrammar.JsonObject(),
                    "json_schema" when r.ResponseFormat.JsonSchema!.Value.TryGetProperty("schema", out var schema) => TokenGrammar.JsonSchema(schema, r.ResponseFormat.JsonSchema.Value.TryGetProperty("strict", out var strict) && strict.ValueKind == System.Text.Json.JsonValueKind.True),
                    "json_schema" => TokenGrammar.JsonObject(),
                    _ => null,
                },
            TopLogprobs = r.Logprobs == true ? r.TopLogprobs ?? 0 : null,
        };
        return new PreparedChat(served, generation, r.Stream == true, r.StreamOptions?.IncludeUsage == true, thinking);
    }
}
