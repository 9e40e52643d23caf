using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.ModelForge;
using InferenceServer.Tests.Generation;

namespace InferenceServer.Tests.Runtime;

public sealed class SessionFactoryTests
{
    [Fact]
    public void CudaOnACpuOnlyRuntimeFailsNamingTheBuildSwitch()
    {
        var e = Assert.Throws<ProviderUnavailableException>(() => new SessionFactory(new ExecutionProfileOptions { Profile = "cuda" }));
        Assert.Contains("CUDAExecutionProvider", e.Message);
        Assert.Contains("OnnxRuntimeFlavor=Cuda", e.Message);
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu.Linux", e.Message);
    }

    [Fact]
    public void DirectMlOnLinuxFailsNamingTheWindowsPackage()
    {
        var e = Assert.Throws<ProviderUnavailableException>(() => new SessionFactory(new ExecutionProfileOptions { Profile = "directml" }));
        Assert.Contains("Microsoft.ML.OnnxRuntime.DirectML", e.Message);
    }

    [Fact]
    public void FallbackCpuRunsOnCpuAndSaysWhy()
    {
        var factory = new SessionFactory(new ExecutionProfileOptions { Profile = "cuda", Fallback = "cpu" });
        Assert.True(factory.Plan.FellBackToCpu);
        Assert.Equal("CPUExecutionProvider", factory.Plan.EffectiveProvider);
        Assert.Contains("CUDAExecutionProvider", factory.Plan.FallbackReason);
        using var options = factory.CreateOptions();
    }

    [Fact]
    public void CudaIsChosenWhenTheRuntimeHasIt()
    {
        var factory = new SessionFactory(new ExecutionProfileOptions { Profile = "cuda" }, ["CUDAExecutionProvider", "CPUExecutionProvider"], probe: _ => null);
        Assert.False(factory.Plan.FellBackToCpu);
        Assert.Equal("CUDAExecutionProvider", factory.Plan.EffectiveProvider);
    }

    [Fact]
    public void ACudaBuildOnAMachineWithoutCudaLibrariesSaysWhatIsMissing()
    {
        const string Missing = "libcublasLt.so.13: cannot open shared object file";
        string[] providers = ["CUDAExecutionProvider", "CPUExecutionProvider"];
        var e = Assert.Throws<ProviderUnavailableException>(() =>
            new SessionFactory(new ExecutionProfileOptions { Profile = "cuda" }, providers, probe: _ => Missing));
        Assert.Contains(Missing, e.Message);
        Assert.Contains("cannot start on this machine", e.Message);

        var fallback = new SessionFactory(new ExecutionProfileOptions { Profile = "cuda", Fallback = "cpu" }, providers, probe: _ => Missing);
        Assert.True(fallback.Plan.FellBackToCpu);
        Assert.Contains(Missing, fallback.Plan.FallbackReason);
    }

    [Fact]
    public void TheRealProbeOfCudaOnTheCpuPackageFails()
    {
        // The CPU package has no CUDA provider to start: asking for it anyway must fail cleanly, not crash.
        var e = Assert.Throws<ProviderUnavailableException>(() =>
            new SessionFactory(new ExecutionProfileOptions { Profile = "cuda" }, ["CUDAExecutionProvider", "CPUExecutionProvider"], probe: null));
        Assert.Contains("cannot start on this machine", e.Message);
    }

    [Fact]
    public void CpuProfileThreadsAreApplied()
    {
        var factory = new SessionFactory(new ExecutionProfileOptions { IntraOpThreads = 2 });
        using var options = factory.CreateOptions();
        Assert.Equal(2, options.IntraOpNumThreads);
    }

    [Fact]
    public void SessionConfigEntriesReachOnnxRuntime()
    {
        // A thread-affinity list that names no processor is refused by ONNX Runtime when the session is created: the
        // entry got there, and the load error names the file.
        var factory = new SessionFactory(new ExecutionProfileOptions
        {
            IntraOpThreads = 2,
            SessionConfig = { ["session.intra_op_thread_affinities"] = "not-a-processor" },
        });
        var folder = DemoModels.EnsureRandom(SchedulerFixture.Cache);
        var e = Assert.Throws<ModelLoadException>(() => (object)TextModelLoader.Load(new ModelOptions { Id = "m", Path = folder, MaxConcurrentSequences = 1 }, factory));
        Assert.Contains("model.onnx", e.Message);
    }
}
