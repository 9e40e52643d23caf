using System.Text.Json;
using InferenceServer.Contracts;
using InferenceServer.Errors;

namespace InferenceServer.Chat;

/// <summary>Checks types-already-parsed fields for presence and range; every failure is a 422 naming the parameter.</summary>
internal static class ChatRequestValidator
{
    public const int MaxStopStrings = 16;
    private static readonly HashSet<string> Roles = new(StringComparer.Ordinal) { "system", "developer", "user", "assistant", "tool" };

    public static void Validate(ChatCompletionRequest r)
    {
        if (string.IsNullOrWhiteSpace(r.Model))
        {
            throw ApiException.InvalidParameter("model", "Missing required parameter: 'model'.");
        }

        ValidateMessages(r.Messages);
        Range("temperature", r.Temperature, 0, 2);
        Range("frequency_penalty", r.FrequencyPenalty, -2, 2);
        Range("presence_penalty", r.PresencePenalty, -2, 2);
        if (r.TopP is { } topP && (topP <= 0 || topP > 1 || double.IsNaN(topP)))
        {
            throw ApiException.InvalidParameter("top_p", $"Invalid top_p value {topP}: it must be greater than 0 and at most 1.");
        }

        if (r.TopK is < 0)
        {
            throw ApiException.InvalidParameter("top_k", "Invalid top_k value: it must be 0 (off) or a positive integer.");
        }

        if (r.Stop is { Count: > MaxStopStrings })
        {
            throw ApiException.InvalidParameter("stop", $"Too many stop sequences: {r.Stop.Count}; at most {MaxStopStrings} are allowed.");
        }

        if (r.Stop is not null && r.Stop.Any(s => s.Length == 0))
        {
            throw ApiException.InvalidParameter("stop", "Stop sequences must not be empty strings.");
        }

        if (r.StreamOptions is not null && r.Stream != true)
        {
            throw ApiException.InvalidFormat("stream_options can only be set when stream is true.", "stream_options");
        }

        ValidateModes(r);
    }

    private static void ValidateMessages(List<ChatMessageDto>? messages)
    {
        if (messages is null)
        {
            throw ApiException.InvalidParameter("messages", "Missing required parameter: 'messages'.");
        }

        if (messages.Count == 0)
        {
            throw ApiException.InvalidParameter("messages", "'messages' must contain at least one message.");
        }

        for (var i = 0; i < messages.Count; i++)
        {
            var m = messages[i] ?? throw ApiException.InvalidParameter($"messages[{i}]", $"messages[{i}] must be an object.");
            if (m.Role is null)
            {
                throw ApiException.InvalidParameter($"messages[{i}].role", $"Missing required parameter: 'messages[{i}].role'.");
            }

            if (!Roles.Contains(m.Role))
            {
                throw ApiException.InvalidParameter($"messages[{i}].role",
                    $"Invalid role '{m.Role}' in messages[{i}]; use one of: system, developer, user, assistant, tool.");
            }

            if (m.Content is null && m.Role is not "assistant")
            {
                throw ApiException.InvalidParameter($"messages[{i}].content", $"Missing required parameter: 'messages[{i}].content'.");
            }

            if (m.Role == "tool" && string.IsNullOrEmpty(m.ToolCallId))
            {
                throw ApiException.InvalidParameter($"messages[{i}].tool_call_id", $"messages[{i}] has role 'tool' and needs 'tool_call_id'.");
            }

            if (m.Prefix == true && (m.Role != "assistant" || i != messages.Count - 1))
            {
                throw ApiException.InvalidParameter($"messages[{i}].prefix", "'prefix' is only allowed on the last message, which must be an assistant message.");
            }
        }
    }

    private static void ValidateModes(ChatCompletionRequest r)
    {
        if (r.Thinking?.Type is { } type && type is not ("enabled" or "disabled"))
        {
            throw ApiException.InvalidParameter("thinking.type", $"Invalid thinking type '{type}'; use 'enabled' or 'disabled'.");
        }

        if (r.ReasoningEffort is { } effort && !ReasoningEffort.TryNormalize(effort, out _))
        {
            throw ApiException.InvalidParameter("reasoning_effort", $"Invalid reasoning_effort '{effort}'; {ReasoningEffort.Expected}.");
        }

        SafetyCheck.Validate(r.SafetyCheck);

        if (r.ResponseFormat?.Type is { } format && format is not ("text" or "json_object" or "json_schema"))
        {
            throw ApiException.InvalidParameter("response_format.type", $"Invalid response_format type '{format}'; use 'text', 'json_object' or 'json_schema'.");
        }

        if (r.ResponseFormat?.Type == "json_schema" && r.ResponseFormat.JsonSchema is not { ValueKind: JsonValueKind.Object })
        {
            throw ApiException.InvalidParameter("response_format.json_schema", "response_format 'json_schema' needs a 'json_schema' object with the schema.");
        }

        if (r.TopLogprobs is < 0 or > 20)
        {
            throw ApiException.InvalidParameter("top_logprobs", $"Invalid top_logprobs value {r.TopLogprobs}: it must be between 0 and 20.");
        }

        if (r.TopLogprobs is not null && r.Logprobs != true)
        {
            throw ApiException.InvalidParameter("top_logprobs", "top_logprobs requires logprobs to be true.");
        }
    }

    private static void Range(string name, double? value, double min, double max)
    {
        if (value is { } v && (double.IsNaN(v) || v < min || v > max))
        {
            throw ApiException.InvalidParameter(name, $"Invalid {name} value {v}: it must be between {min} and {max}.");
        }
    }
}
