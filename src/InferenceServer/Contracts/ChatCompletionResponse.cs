namespace InferenceServer.Contracts;

public sealed class ChatCompletionResponse
{
    public required string Id { get; init; }

    public string Object { get; init; } = "chat.completion";

    public required long Created { get; init; }

    public required string Model { get; init; }

    public required List<ChatChoice> Choices { get; init; }

    public required UsageDto Usage { get; init; }

    public required string SystemFingerprint { get; init; }
}
