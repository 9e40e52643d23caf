namespace InferenceServer.Engine.Runtime;

/// <summary>A call into ONNX Runtime's C API returned an error status; the message is ONNX Runtime's, after the call's name.</summary>
public sealed class OrtCallException : Exception
{
    public OrtCallException(string message)
        : base(message)
    {
    }
}
