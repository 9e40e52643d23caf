using System.Runtime.InteropServices;
using InferenceServer.Engine.Runtime;

namespace InferenceServer.Tests.Runtime;

/// <summary>
/// The checks <c>Runtime:NativeLibraryPath</c> makes before the managed package may use a library (the start-up
/// itself is tested in child processes: NativeLibraryTests).
/// </summary>
public sealed class OnnxRuntimeLibraryTests
{
    // The server is built and tested on linux-x64 (README, .ci/run).
    private static string PackagedLibrary => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libonnxruntime.so");

    [Fact]
    public void ThePackagedLibraryIsOnnxRuntimeOfferingTheManagedPackagesApi()
    {
        var (_, version) = OnnxRuntimeLibrary.Inspect(PackagedLibrary, OnnxRuntimeLibrary.ApiVersion);
        Assert.Equal("1.31.1", version);
    }

    [Fact]
    public void ALibraryWithoutTheApiVersionIsRefusedNamingItsVersion()
    {
        var e = Assert.Throws<NativeLibraryException>(() => OnnxRuntimeLibrary.Inspect(PackagedLibrary, OnnxRuntimeLibrary.ApiVersion + 1));
        Assert.Equal($"Runtime:NativeLibraryPath '{PackagedLibrary}' is ONNX Runtime 1.31.1, which does not offer C API version 32 that "
            + "Microsoft.ML.OnnxRuntime 1.31.1 needs; build ONNX Runtime 1.31 or newer.", e.Message);
    }

    [Fact]
    public void ASharedLibraryThatIsNotOnnxRuntimeIsRefused()
    {
        // .NET's own native helper: a real shared library, without OrtGetApiBase.
        var other = Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "libSystem.Native.so");
        var e = Assert.Throws<NativeLibraryException>(() => OnnxRuntimeLibrary.Inspect(other, OnnxRuntimeLibrary.ApiVersion));
        Assert.Equal($"Runtime:NativeLibraryPath '{other}' is a shared library but not ONNX Runtime: it has no OrtGetApiBase export.", e.Message);
    }

    [Fact]
    public void AFolderIsRefusedAskingForTheFile()
    {
        var folder = Path.GetTempPath();
        var e = Assert.Throws<NativeLibraryException>(() => OnnxRuntimeLibrary.Inspect(folder, OnnxRuntimeLibrary.ApiVersion));
        Assert.Contains("is a folder", e.Message);
    }
}
