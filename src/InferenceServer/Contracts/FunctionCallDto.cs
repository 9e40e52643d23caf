namespace InferenceServer.Contracts;

/// <summary>The function a tool call names and its arguments as JSON text (in streams: a fragment of it).</summary>
public sealed class FunctionCallDto
{
    public string? Name { get; init; }

    public string? Arguments { get; init; }
}
