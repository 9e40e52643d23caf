namespace InferenceServer.Engine.Runtime;

/// <summary><c>Runtime:NativeLibraryPath</c> names a file that cannot serve as ONNX Runtime; the message says why.</summary>
public sealed class NativeLibraryException : Exception
{
    public NativeLibraryException(string message)
        : base(message)
    {
    }
}
