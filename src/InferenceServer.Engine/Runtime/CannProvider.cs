using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Runtime;

/// <summary>
/// Appends Huawei Ascend's CANN provider through ONNX Runtime's C API, which the C# API has no method for:
/// <c>CreateCANNProviderOptions</c>, <c>UpdateCANNProviderOptions</c> (ONNX Runtime parses and checks the keys),
/// <c>SessionOptionsAppendExecutionProvider_CANN</c>, <c>ReleaseCANNProviderOptions</c>.
/// </summary>
internal static unsafe class CannProvider
{
    public static void Append(SessionOptions options, IReadOnlyDictionary<string, string> settings)
    {
        IntPtr cann;
        OrtApiTable.Check(((delegate* unmanaged<IntPtr*, IntPtr>)OrtApiTable.Function(OrtApiTable.CreateCannProviderOptions))(&cann),
            "CreateCANNProviderOptions");
        var strings = new List<IntPtr>(settings.Count * 2);
        try
        {
            var keys = stackalloc IntPtr[Math.Max(1, settings.Count)];
            var values = stackalloc IntPtr[Math.Max(1, settings.Count)];
            var i = 0;
            foreach (var (key, value) in settings)
            {
                keys[i] = Marshal.StringToCoTaskMemUTF8(key);
                strings.Add(keys[i]);
                values[i] = Marshal.StringToCoTaskMemUTF8(value);
                strings.Add(values[i]);
                i++;
            }

            OrtApiTable.Check(((delegate* unmanaged<IntPtr, IntPtr*, IntPtr*, nuint, IntPtr>)OrtApiTable.Function(OrtApiTable.UpdateCannProviderOptions))(
                cann, keys, values, (nuint)settings.Count), "UpdateCANNProviderOptions");
            OrtApiTable.Check(((delegate* unmanaged<IntPtr, IntPtr, IntPtr>)OrtApiTable.Function(OrtApiTable.SessionOptionsAppendExecutionProviderCann))(
                options.DangerousGetHandle(), cann), "SessionOptionsAppendExecutionProvider_CANN");
        }
        finally
        {
            // The session options keep their own copy of the provider settings.
            ((delegate* unmanaged<IntPtr, void>)OrtApiTable.Function(OrtApiTable.ReleaseCannProviderOptions))(cann);
            foreach (var s in strings)
            {
                Marshal.FreeCoTaskMem(s);
            }
        }
    }
}
