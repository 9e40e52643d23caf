namespace InferenceServer.Contracts;

public sealed class StreamOptionsDto
{
    /// <summary>Also send a last chunk with empty <c>choices</c> and the request's usage before <c>[DONE]</c>.</summary>
    public bool? IncludeUsage { get; set; }
}
