using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InferenceServer.Engine.Runtime;

/// <summary>
/// The float tensors at a vision-language graph's edges in either element type exports use: float32 (CPU exports,
/// onnx-community's default and q4 graphs) or float16 (GPU exports, fp16 and q4f16). The server keeps pixels and image
/// rows as float32 and converts at the edge, as transformers.js and GenAI cast to the session's input type.
/// </summary>
internal static class FloatTensors
{
    public static bool IsFloat(TensorElementType type) => type is TensorElementType.Float or TensorElementType.Float16;

    /// <summary><paramref name="data"/> as a tensor of <paramref name="type"/> (float32: over the memory itself; float16: a converted copy).</summary>
    public static OrtValue Input(ReadOnlyMemory<float> data, long[] shape, TensorElementType type)
    {
        if (type == TensorElementType.Float)
        {
            return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, MemoryMarshal.AsMemory(data), shape);
        }

        var source = data.Span;
        var half = new Float16[source.Length];
        for (var i = 0; i < source.Length; i++)
        {
            half[i] = (Float16)source[i];
        }

        return OrtValue.CreateTensorValueFromMemory(half, shape);
    }

    /// <summary>A float32 or float16 tensor's values as float32.</summary>
    public static float[] Read(OrtValue value)
    {
        if (value.GetTensorTypeAndShape().ElementDataType == TensorElementType.Float)
        {
            return value.GetTensorDataAsSpan<float>().ToArray();
        }

        var half = value.GetTensorDataAsSpan<Float16>();
        var floats = new float[half.Length];
        for (var i = 0; i < half.Length; i++)
        {
            floats[i] = (float)half[i];
        }

        return floats;
    }

    /// <summary>Writes <paramref name="rows"/> into a float32 or float16 tensor at element <paramref name="offset"/>.</summary>
    public static void Write(OrtValue value, int offset, ReadOnlySpan<float> rows)
    {
        if (value.GetTensorTypeAndShape().ElementDataType == TensorElementType.Float)
        {
            rows.CopyTo(value.GetTensorMutableDataAsSpan<float>().Slice(offset, rows.Length));
            return;
        }

        var half = value.GetTensorMutableDataAsSpan<Float16>().Slice(offset, rows.Length);
        for (var i = 0; i < rows.Length; i++)
        {
            half[i] = (Float16)rows[i];
        }
    }
}
