namespace InferenceServer.Engine.Runtime;

/// <summary>The configured execution provider is not in the loaded ONNX Runtime build and no fallback was allowed.</summary>
public sealed class ProviderUnavailableException : Exception
{
    public ProviderUnavailableException(string message)
        : base(message)
    {
    }
}
