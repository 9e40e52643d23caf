namespace InferenceServer.IntegrationTests.Fuzz;

/// <summary>Which error envelope a route answers with.</summary>
public enum ErrorShape
{
    /// <summary><c>{"error":{"message","type",...}}</c>.</summary>
    OpenAi,

    /// <summary><c>{"type":"error","error":{"type","message"}}</c> on <c>/anthropic/…</c> and <c>/v1/messages</c>.</summary>
    Anthropic,
}
