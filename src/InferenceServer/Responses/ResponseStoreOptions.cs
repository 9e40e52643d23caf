namespace InferenceServer.Responses;

/// <summary>Section <c>Responses</c>: how many <c>store: true</c> responses are kept, and for how long.</summary>
public sealed class ResponseStoreOptions
{
    /// <summary>At most this many stored responses, all keys together; the oldest goes first.</summary>
    public int MaxStoredResponses { get; set; } = 1000;

    /// <summary>A stored response is deleted this many minutes after it was made.</summary>
    public int StoredResponseLifetimeMinutes { get; set; } = 60;

    /// <summary>
    /// MiB of decoded pictures (3 bytes a pixel) kept with stored responses, so that a <c>previous_response_id</c>
    /// follow-up still sees the conversation's images; all responses together, the oldest response goes first. A
    /// response whose pictures alone are more is kept without them. 0 keeps none.
    /// </summary>
    public int MaxStoredImageMiB { get; set; } = 256;
}
