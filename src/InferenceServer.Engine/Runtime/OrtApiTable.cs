using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Runtime;

/// <summary>
/// ONNX Runtime's C API function table (<c>OrtGetApiBase()->GetApi(ORT_API_VERSION)</c>) of the very library the
/// managed package loaded, for the calls the C# API lacks (CANN, graph placement). Slot indexes are positions in
/// <c>struct OrtApi</c> of <c>onnxruntime_c_api.h</c> 1.31 (counted with <c>offsetof</c>); the table only grows at the
/// end, so they hold for any library that offers <see cref="OnnxRuntimeLibrary.ApiVersion"/>.
/// </summary>
internal static unsafe class OrtApiTable
{
    public const int GetErrorMessage = 2;
    public const int ReleaseStatus = 93;
    public const int SessionOptionsAppendExecutionProviderCann = 220;
    public const int CreateCannProviderOptions = 221;
    public const int UpdateCannProviderOptions = 222;
    public const int ReleaseCannProviderOptions = 224;
    public const int SessionGetEpGraphAssignmentInfo = 407;
    public const int EpAssignedSubgraphGetEpName = 408;
    public const int EpAssignedSubgraphGetNodes = 409;
    public const int EpAssignedNodeGetOperatorType = 412;

    private static readonly Lazy<IntPtr> Table = new(Load);

    /// <summary>The function pointer in a slot.</summary>
    public static IntPtr Function(int slot) => Marshal.ReadIntPtr(Table.Value, slot * IntPtr.Size);

    /// <summary>Throws <see cref="OrtCallException"/> with ONNX Runtime's message for a non-null <c>OrtStatus*</c>, releasing it.</summary>
    public static void Check(IntPtr status, string call)
    {
        if (status == IntPtr.Zero)
        {
            return;
        }

        var message = Marshal.PtrToStringUTF8(((delegate* unmanaged<IntPtr, IntPtr>)Function(GetErrorMessage))(status)) ?? "unknown error";
        ((delegate* unmanaged<IntPtr, void>)Function(ReleaseStatus))(status);
        throw new OrtCallException($"{call}: {message}");
    }

    private static IntPtr Load()
    {
        // The library Runtime:NativeLibraryPath chose, or else the package's: after the package has loaded it, the same
        // probe for "onnxruntime" on behalf of its assembly finds the same file, and the loader returns that library.
        _ = OrtEnv.Instance();
        var library = OnnxRuntimeLibrary.Handle ?? NativeLibrary.Load("onnxruntime", typeof(OrtEnv).Assembly, null);
        var apiBase = ((delegate* unmanaged<IntPtr>)NativeLibrary.GetExport(library, "OrtGetApiBase"))();
        var api = ((delegate* unmanaged<uint, IntPtr>)Marshal.ReadIntPtr(apiBase))(OnnxRuntimeLibrary.ApiVersion);
        return api != IntPtr.Zero ? api : throw new OrtCallException($"OrtGetApiBase()->GetApi({OnnxRuntimeLibrary.ApiVersion}) returned no table.");
    }
}
