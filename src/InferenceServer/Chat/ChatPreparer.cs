using InferenceServer.Contracts;
using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Generation.Constraints;
using InferenceServer.Engine.Models;
using InferenceServer.Errors;
using InferenceServer.Hosting;
using Microsoft.Extensions.Options;

namespace InferenceServer.Chat;

/// <summary>Validates a chat request, resolves its model, renders the chat template and checks the context window.</summary>
public sealed class ChatPreparer
{
    /// <summary>DeepSeek's defaults for an unset <c>max_tokens</c>: 8K without thinking, 64K with (capped by the context).</summary>
    private const int DefaultMaxTokens = 8192;
    private const int DefaultThinkingMaxTokens = 65536;

    /// <summary>In thinking mode with <c>reasoning_effort: max</c> the default is 128K.</summary>
    private const int DefaultMaxEffortMaxTokens = 131072;
    private readonly ModelRegistry _registry;
    private readonly int _maxChoices;

    public ChatPreparer(ModelRegistry registry, IOptions<RequestLimitsOptions> limits)
    {
        _registry = registry;
        _maxChoices = limits.Value.MaxChoices;
    }

    /// <param name="beta">The request came through <c>/beta</c> (prefix completion, strict tools).</param>
    /// <param name="clampMaxTokens">
    /// A <c>max_tokens</c> past what the context leaves is cut to fit instead of refused (the Anthropic route: the SDKs'
    /// defaults, 64000 and more, are accepted as DeepSeek's Anthropic API accepts them; the answer then ends with
    /// <c>length</c>, Anthropic's <c>max_tokens</c>, when the cut binds).
    /// </param>
    /// <param name="images">The request's images, read and decoded (in request order); a text-only model refuses them.</param>
    /// <param name="earlier">
    /// How many of <paramref name="images"/>, first, come from earlier turns a stored conversation kept (Responses'
    /// <c>previous_response_id</c>): a vision model sees them, a text-only one leaves them out rather than refuse.
    /// </param>
    internal PreparedChat Prepare(ChatCompletionRequest r, bool beta = false, bool clampMaxTokens = false,
        IReadOnlyList<Vision.DecodedImage>? images = null, CancellationToken cancellationToken = default, int earlier = 0)
    {
        images ??= [];
        ChatRequestValidator.Validate(r);
        var choices = ChoiceCount.Read(r.N, _maxChoices);
        if (!_registry.TryResolve(r.Model!, out var served))
        {
            throw ApiException.ModelNotFound(r.Model!);
        }

        ChoiceCount.CheckQueue(choices, served);
        var model = served.Model;
        if (model.Vision is null)
        {
            if (images.Count > earlier)
            {
                throw Vision.VisionErrors.TextOnly(images[earlier].Part, served.Name);
            }

            images = [];
        }

        var thinking = ThinkingMode.Resolve(served, r);
        var requested = r.MaxTokens ?? r.MaxCompletionTokens;
        var maxParam = r.MaxTokens is not null ? "max_tokens" : "max_completion_tokens";
        ContextWindow.CheckMaxTokens(maxParam, requested, clampMaxTokens ? int.MaxValue : model.ContextLength);

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
        if (model.Vision is not null)
        {
            messages = ChatImagePrompt.Number(messages, ChatImagePrompt.PerPart(images));
        }

        var prompt = model.Template.Render(messages, thinking, tools.Tools);
        int[] tokens;
        int room;
        PromptImages? encoded = null;
        if (model.Vision is not null)
        {
            (tokens, encoded) = ChatImagePrompt.Encode(model, prompt.Text, images, cancellationToken);
            room = ContextWindow.Room(model.ContextLength, tokens.Length, clampMaxTokens ? null : requested, "messages");
        }
        else
        {
            (tokens, room) = ContextWindow.Fit(model.Tokenizer, prompt.Text, model.ContextLength, clampMaxTokens ? null : requested, "messages");
        }

        var maxEffort = r.ReasoningEffort is { } effort && ReasoningEffort.TryNormalize(effort, out var level) && level == ReasoningEffort.Max;
        var maxTokens = requested is { } asked
            ? Math.Min(asked, room)
            : Math.Min(room, !thinking ? DefaultMaxTokens : maxEffort ? DefaultMaxEffortMaxTokens : DefaultThinkingMaxTokens);
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
            Images = encoded is { Count: > 0 } ? encoded : null,
        };
        return new PreparedChat(served, generation, r.Stream == true, r.StreamOptions?.IncludeUsage == true, thinking) { Choices = choices };
    }
}
