using System.Text.Json;
using InferenceServer.Contracts;
using InferenceServer.Contracts.Json;
using InferenceServer.Contracts.Responses;
using InferenceServer.Engine.Generation;

namespace InferenceServer.Responses;

/// <summary>The Responses API's wire values: ids, the final status with its details, usage, and the output as a chat turn.</summary>
internal static class ResponsesWire
{
    /// <summary><c>resp_</c>, <c>msg_</c>, <c>rs_</c>, <c>fc_</c> + 32 hex digits: unguessable.</summary>
    public static string NewId(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N");

    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>The response as it starts: in progress, no output, the request's settings echoed.</summary>
    public static ResponseObject NewResponse(ResponseCreateRequest r, string model) => new()
    {
        Id = NewId("resp"),
        CreatedAt = Now(),
        Model = model,
        Instructions = r.Instructions,
        MaxOutputTokens = r.MaxOutputTokens,
        ParallelToolCalls = r.ParallelToolCalls ?? true,
        PreviousResponseId = r.PreviousResponseId,
        Reasoning = r.Reasoning,
        Store = r.Store == true,
        Temperature = r.Temperature,
        TopP = r.TopP,
        Text = r.Text ?? new ResponseTextDto { Format = new ResponseTextFormatDto { Type = "text" } },
        ToolChoice = r.ToolChoice ?? JsonSerializer.SerializeToElement("auto"),
        Tools = r.Tools ?? JsonSerializer.SerializeToElement(Array.Empty<object>()),
        Metadata = r.Metadata ?? [],
    };

    /// <summary>Sets status, details and usage from the finish event; returns the final stream event's type.</summary>
    public static string Finish(ResponseObject response, GenerationFinished f)
    {
        response.Usage = Usage(f.Usage);
        switch (f.Reason)
        {
            case FinishReason.Length:
                response.Status = "incomplete";
                response.IncompleteDetails = new ResponseIncompleteDetails("max_output_tokens");
                return "response.incomplete";
            case FinishReason.InsufficientSystemResource:
                return Fail(response, "server_error", "The server ended the generation before it finished (shutdown or resource limit).");
            case FinishReason.Aborted:
                return Fail(response, "server_error", "A fault in the model's run interrupted the generation; the output so far is kept. Retry the request.");
            default:
                response.Status = "completed";
                return "response.completed";
        }
    }

    /// <summary>Marks the response failed; returns <c>response.failed</c>.</summary>
    public static string Fail(ResponseObject response, string code, string message)
    {
        response.Status = "failed";
        response.Error = new ResponseErrorDto(code, message);
        return "response.failed";
    }

    public static ResponseUsageDto Usage(GenerationUsage u) => new()
    {
        InputTokens = u.PromptTokens,
        InputTokensDetails = new ResponseInputTokensDetails(u.CachedPromptTokens, u.ImageTokens > 0 ? u.ImageTokens : null),
        OutputTokens = u.CompletionTokens,
        OutputTokensDetails = new ResponseOutputTokensDetails(u.ReasoningTokens),
        TotalTokens = u.PromptTokens + u.CompletionTokens,
    };

    /// <summary>The output as the assistant turn a later <c>previous_response_id</c> replays.</summary>
    public static ChatMessageDto AssistantTurn(ResponseObject response)
    {
        var text = string.Concat(response.Output.Where(i => i.Type == "message").SelectMany(i => i.Content!).Select(p => p.Text));
        var reasoning = string.Concat(response.Output.Where(i => i.Type == "reasoning").SelectMany(i => i.Content!).Select(p => p.Text));
        var calls = response.Output.Where(i => i.Type == "function_call")
            .Select(i => new { id = i.CallId, type = "function", function = new { name = i.Name, arguments = i.Arguments } })
            .ToList();
        return new ChatMessageDto
        {
            Role = "assistant",
            Content = new MessageContent(text, false),
            ReasoningContent = reasoning.Length > 0 ? reasoning : null,
            ToolCalls = calls.Count > 0 ? JsonSerializer.SerializeToElement(calls) : null,
        };
    }
}
