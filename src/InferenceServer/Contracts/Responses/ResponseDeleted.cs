namespace InferenceServer.Contracts.Responses;

/// <summary>Answer of <c>DELETE /v1/responses/{id}</c>.</summary>
public sealed record ResponseDeleted(string Id, bool Deleted)
{
    public string Object { get; init; } = "response";
}
