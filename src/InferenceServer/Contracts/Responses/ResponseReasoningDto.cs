namespace InferenceServer.Contracts.Responses;

public sealed class ResponseReasoningDto
{
    /// <summary><c>none</c> turns thinking off; <c>low</c>/<c>high</c>/<c>max</c> (and the mapped names) keep it on.</summary>
    public string? Effort { get; set; }

    /// <summary>Accepted and echoed; the reasoning item carries the full reasoning text.</summary>
    public string? Summary { get; set; }
}
