using InferenceServer.Chat;
using InferenceServer.Contracts;
using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Text;
using InferenceServer.Errors;
using InferenceServer.Hosting;
using Microsoft.Extensions.Options;

namespace InferenceServer.Completions;

/// <summary>
/// Validates a <c>/completions</c> request and builds its prompt: the text itself, or with <c>suffix</c> a FIM prompt in
/// the model's FIM tokens. FIM output is capped at 4K tokens as DeepSeek documents.
/// </summary>
public sealed class CompletionPreparer
{
    public const int MaxFimTokens = 4096;
    public const int MaxLogprobs = 20;
    private readonly ModelRegistry _registry;
    private readonly int _maxChoices;

    public CompletionPreparer(ModelRegistry registry, IOptions<RequestLimitsOptions> limits)
    {
        _registry = registry;
        _maxChoices = limits.Value.MaxChoices;
    }

    internal PreparedCompletion Prepare(CompletionRequest r)
    {
        Validate(r);
        var choices = ChoiceCount.Read(r.N, _maxChoices);
        if (!_registry.TryResolve(r.Model!, out var served))
        {
            throw ApiException.ModelNotFound(r.Model!);
        }

        ChoiceCount.CheckQueue(choices, served);
        var model = served.Model;
        var prompt = r.Prompt![0];
        var fim = r.Suffix is not null;
        var text = prompt;
        if (fim)
        {
            var format = FimFormat.For(model.Tokenizer)
                ?? throw ApiException.InvalidFormat($"Model '{served.Name}' has no fill-in-the-middle tokens; send the request without 'suffix'.", "suffix");
            text = format.Prompt(prompt, r.Suffix!);
        }

        var cap = fim ? Math.Min(MaxFimTokens, model.ContextLength) : model.ContextLength;
        ContextWindow.CheckMaxTokens("max_tokens", r.MaxTokens, cap);

        var (tokens, room) = ContextWindow.Fit(model.Tokenizer, model.Template.BosToken + text, model.ContextLength, r.MaxTokens, "prompt");

        var sampling = new SamplingOptions(
            Temperature: (float)(r.Temperature ?? 1.0),
            TopP: (float)(r.TopP ?? 1.0),
            Seed: r.Seed,
            FrequencyPenalty: (float)(r.FrequencyPenalty ?? 0),
            PresencePenalty: (float)(r.PresencePenalty ?? 0));
        var maxTokens = r.MaxTokens ?? Math.Min(room, MaxFimTokens);
        var generation = new GenerationRequest(tokens, maxTokens, sampling, r.Stop ?? [], StartsInsideThinking: false) { TopLogprobs = r.Logprobs };
        return new PreparedCompletion(served, generation, r.Stream == true, r.StreamOptions?.IncludeUsage == true, r.Echo == true ? prompt : null, r.Logprobs)
        {
            Choices = choices,
        };
    }

    private static void Validate(CompletionRequest r)
    {
        if (string.IsNullOrWhiteSpace(r.Model))
        {
            throw ApiException.InvalidParameter("model", "Missing required parameter: 'model'.");
        }

        if (r.Prompt is null)
        {
            throw ApiException.InvalidParameter("prompt", "Missing required parameter: 'prompt'.");
        }

        if (r.Prompt.Count != 1)
        {
            throw ApiException.InvalidParameter("prompt", "'prompt' must be one string (this server completes one prompt per request).");
        }

        if (r.Logprobs is < 0 or > MaxLogprobs)
        {
            throw ApiException.InvalidParameter("logprobs", $"Invalid logprobs value {r.Logprobs}: it must be between 0 and {MaxLogprobs}.");
        }

        if (r.Echo == true && r.Suffix is not null)
        {
            throw ApiException.InvalidParameter("echo", "'echo' cannot be combined with 'suffix'.");
        }

        var chat = new ChatCompletionRequest
        {
            Model = r.Model,
            Messages = [new ChatMessageDto { Role = "user", Content = new Contracts.Json.MessageContent("x", IsParts: false) }],
            Temperature = r.Temperature,
            TopP = r.TopP,
            FrequencyPenalty = r.FrequencyPenalty,
            PresencePenalty = r.PresencePenalty,
            Stop = r.Stop,
            Stream = r.Stream,
            StreamOptions = r.StreamOptions,
        };

        // The sampling fields follow the chat rules exactly.
        ChatRequestValidator.Validate(chat);
    }
}
