namespace InferenceServer.Contracts;

public sealed class ModelRuntimeInfo
{
    /// <summary>The configured profile: <c>cpu</c>, <c>cuda</c>, <c>directml</c>, <c>cann</c>, <c>openvino</c>, <c>qnn</c>, <c>tensorrt</c>, <c>rocm</c>, <c>migraphx</c> or <c>coreml</c>.</summary>
    public required string Profile { get; init; }

    /// <summary>The ONNX Runtime provider that really runs the model.</summary>
    public required string ExecutionProvider { get; init; }

    /// <summary>Why the server fell back to CPU, when it did.</summary>
    public string? Fallback { get; init; }
}
