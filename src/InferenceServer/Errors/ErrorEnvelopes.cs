namespace InferenceServer.Errors;

/// <summary>Envelopes written inside a response that has already started (after keep-alives).</summary>
internal static class ErrorEnvelopes
{
    public const string OverloadedType = "server_overloaded";

    public static ErrorEnvelope Overloaded(string message) => new(new ErrorBody(message, OverloadedType, null, OverloadedType));
}
