using System.Text.Json;
using InferenceServer.Contracts.Anthropic;
using InferenceServer.Engine.Generation;

namespace InferenceServer.Anthropic;

/// <summary>Anthropic's wire values: message ids, stop reasons, and a finished chat as content blocks.</summary>
internal static class AnthropicWire
{
    public static string NewId() => "msg_" + Guid.NewGuid().ToString("N");

    /// <summary>
    /// Anthropic's <c>stop_reason</c>: a matched stop string is <c>stop_sequence</c>. Anthropic has no stop reason for
    /// a server that interrupted the answer (<c>insufficient_system_resource</c> or <c>aborted</c> on chat): those are
    /// <c>pause_turn</c>, the one that tells a client the turn is unfinished and may be sent back to continue.
    /// </summary>
    public static string StopReason(FinishReason reason, string? stopString) => stopString is not null ? "stop_sequence" : reason switch
    {
        FinishReason.Length => "max_tokens",
        FinishReason.ToolCalls => "tool_use",
        FinishReason.InsufficientSystemResource or FinishReason.Aborted => "pause_turn",
        _ => "end_turn",
    };

    public static List<AnthropicContentBlock> Blocks(Contracts.ResponseMessage message)
    {
        var blocks = new List<AnthropicContentBlock>();
        if (message.ReasoningContent is { Length: > 0 } reasoning)
        {
            blocks.Add(new AnthropicContentBlock { Type = "thinking", Thinking = reasoning, Signature = string.Empty });
        }

        if (message.Content is { Length: > 0 } || message.ToolCalls is null)
        {
            blocks.Add(new AnthropicContentBlock { Type = "text", Text = message.Content ?? string.Empty });
        }

        foreach (var call in message.ToolCalls ?? [])
        {
            blocks.Add(new AnthropicContentBlock { Type = "tool_use", Id = call.Id, Name = call.Function.Name, Input = Input(call.Function.Arguments) });
        }

        return blocks;
    }

    private static JsonElement Input(string? arguments)
    {
        try
        {
            using var doc = JsonDocument.Parse(arguments is { Length: > 0 } ? arguments : "{}");
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(new Dictionary<string, string?> { ["_raw"] = arguments });
        }
    }
}
