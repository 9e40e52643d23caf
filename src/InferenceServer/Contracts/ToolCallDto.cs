namespace InferenceServer.Contracts;

/// <summary>A tool call in a response message: <c>{id, type: "function", function: {name, arguments}}</c>.</summary>
public sealed class ToolCallDto
{
    /// <summary>Position of the call in the message (DeepSeek's responses carry it too).</summary>
    public int? Index { get; init; }

    public string? Id { get; init; }

    public string? Type { get; init; }

    public required FunctionCallDto Function { get; init; }
}
