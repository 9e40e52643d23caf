using InferenceServer.Engine.Runtime;

namespace InferenceServer.Tests.Runtime;

/// <summary>Every profile, on this CPU-only ONNX Runtime: its options are checked by name, it is refused naming what to build, and it falls back to CPU when allowed.</summary>
public sealed class ProviderProfilesTests
{
    public static TheoryData<string> Accelerators { get; } = ["cuda", "directml", "cann", "openvino", "qnn", "tensorrt", "rocm", "migraphx", "coreml"];

    [Fact]
    public void EveryProfileIsKnownByName()
    {
        Assert.Equal(["cpu", "cuda", "directml", "cann", "openvino", "qnn", "tensorrt", "rocm", "migraphx", "coreml"], ExecutionProfileOptions.KnownProfiles);
    }

    [Theory]
    [InlineData("cann", "npu_mem_limit", "CANNExecutionProvider")]
    [InlineData("cann", "precision_mode", "CANNExecutionProvider")]
    [InlineData("openvino", "device_type", "OpenVINOExecutionProvider")]
    [InlineData("qnn", "backend_path", "QNNExecutionProvider")]
    [InlineData("tensorrt", "trt_fp16_enable", "TensorrtExecutionProvider")]
    [InlineData("rocm", "miopen_conv_exhaustive_search", "ROCMExecutionProvider")]
    [InlineData("migraphx", "migraphx_fp16_enable", "MIGraphXExecutionProvider")]
    [InlineData("coreml", "MLComputeUnits", "CoreMLExecutionProvider")]
    [InlineData("cuda", "gpu_mem_limit", "CUDAExecutionProvider")]
    public void ADocumentedOptionIsAcceptedAndAMisspeltOneIsNamedWithTheValidOnes(string name, string option, string provider)
    {
        var profile = ProviderProfiles.Find(name)!;
        Assert.Equal(provider, profile.Provider);
        Assert.Null(profile.UnknownOption([option]));

        var misspelt = option + "s";
        var message = profile.UnknownOption([option, misspelt]);
        Assert.Equal($"Runtime:ProviderOptions:{misspelt} is not an option of the '{name}' profile ({provider}); its options are: {string.Join(", ", profile.OptionKeys)}.", message);
        Assert.Contains(option, message);
    }

    [Fact]
    public void TheCannOptionsAreTheOnesOnnxRuntimeDocuments()
    {
        var keys = ProviderProfiles.Cann.OptionKeys;
        foreach (var key in new[] { "device_id", "npu_mem_limit", "arena_extend_strategy", "enable_cann_graph", "dump_graphs", "dump_om_model", "precision_mode", "op_select_impl_mode", "optypelist_for_implmode" })
        {
            Assert.Contains(key, keys);
        }
    }

    [Fact]
    public void TheCpuProfileTakesNoProviderOptions()
    {
        Assert.Equal("Runtime:ProviderOptions:arena_extend_strategy is not an option of the 'cpu' profile, which takes no provider options.",
            ProviderProfiles.Cpu.UnknownOption(["arena_extend_strategy"]));
    }

    [Theory]
    [MemberData(nameof(Accelerators))]
    public void OnThisCpuBuildEachAcceleratorIsRefusedNamingWhatToInstall(string name)
    {
        var profile = ProviderProfiles.Find(name)!;
        var e = Assert.Throws<ProviderUnavailableException>(() => new SessionFactory(new ExecutionProfileOptions { Profile = name }));
        Assert.Equal($"Runtime:Profile '{name}' needs {profile.Provider}, which this ONNX Runtime build does not contain (it has: CPUExecutionProvider). "
            + $"Install {profile.Install}. Or set Runtime:Fallback to 'cpu' to run on CPU instead.", e.Message);
    }

    [Fact]
    public void TheCannRefusalNamesTheBuildAndTheLibrarySetting()
    {
        var e = Assert.Throws<ProviderUnavailableException>(() => new SessionFactory(new ExecutionProfileOptions { Profile = "cann" }));
        Assert.Contains("ONNX Runtime built with --use_cann --build_shared_lib", e.Message);
        Assert.Contains("Runtime:NativeLibraryPath", e.Message);
    }

    [Theory]
    [MemberData(nameof(Accelerators))]
    public void WithFallbackCpuEachAcceleratorRunsOnCpuAndSaysWhy(string name)
    {
        var factory = new SessionFactory(new ExecutionProfileOptions { Profile = name, Fallback = "cpu", DisableCpuFallback = true });
        Assert.True(factory.Plan.FellBackToCpu);
        Assert.Equal(name, factory.Plan.RequestedProfile);
        Assert.Equal("CPUExecutionProvider", factory.Plan.EffectiveProvider);
        Assert.Contains(ProviderProfiles.Find(name)!.Provider, factory.Plan.FallbackReason);

        // Fallen back, the graph runs on CPU: the node-level refusal of CPU is not applied, or nothing would load.
        using var options = factory.CreateOptions();
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(ForgeGraph.Path, options);
    }

    [Theory]
    [InlineData("cann", "CANN execution provider is not enabled in this build")]
    [InlineData("openvino", "OpenVINO execution provider is not supported in this build")]
    [InlineData("qnn", "QNN execution provider is not supported in this build")]
    [InlineData("migraphx", "MIGraphX execution provider is not supported in this build")]
    [InlineData("tensorrt", "TensorRT execution provider is not enabled in this build")]
    public void AppendingTheProviderReallyReachesOnnxRuntime(string name, string onnxRuntimeSays)
    {
        // A build that lists the provider but cannot start it: the real append is tried, and ONNX Runtime's own answer
        // is passed on (for CANN through the C API table: a wrong slot would not answer this).
        var provider = ProviderProfiles.Find(name)!.Provider;
        var e = Assert.Throws<ProviderUnavailableException>(() =>
            new SessionFactory(new ExecutionProfileOptions { Profile = name }, [provider, "CPUExecutionProvider"], probe: null));
        Assert.Contains("cannot start on this machine", e.Message);
        Assert.Contains(onnxRuntimeSays, e.Message);
    }

    [Fact]
    public void DeviceIdIsTheProvidersDeviceUnlessTheOptionsNameOne()
    {
        string[] providers = ["CANNExecutionProvider", "CPUExecutionProvider"];
        var byDeviceId = new SessionFactory(new ExecutionProfileOptions { Profile = "cann", DeviceId = 3 }, providers, probe: _ => null);
        Assert.Equal("3", byDeviceId.ProviderSettings()["device_id"]);

        var explicitly = new SessionFactory(new ExecutionProfileOptions { Profile = "cann", DeviceId = 3, ProviderOptions = { ["device_id"] = "1" } }, providers, probe: _ => null);
        Assert.Equal("1", explicitly.ProviderSettings()["device_id"]);

        var openVino = new SessionFactory(new ExecutionProfileOptions { Profile = "openvino", DeviceId = 3 }, ["OpenVINOExecutionProvider"], probe: _ => null);
        Assert.False(openVino.ProviderSettings().ContainsKey("device_id"));
    }
}
