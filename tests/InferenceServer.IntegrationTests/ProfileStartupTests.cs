using System.Net;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge;
using Microsoft.Extensions.Options;

namespace InferenceServer.IntegrationTests;

/// <summary>The NPU and other accelerator profiles on this CPU-only build: refused with what to build, checked option by option, or run on CPU and reported so.</summary>
public sealed class ProfileStartupTests
{
    private static Dictionary<string, string?> OneModel(string profile) => new()
    {
        ["Models:0:Id"] = "m",
        ["Models:0:Path"] = DemoModels.EnsureRandom(TestServer.ModelCache),
        ["Models:0:Thinking"] = "none",
        ["Runtime:Profile"] = profile,
    };

    [Fact]
    public async Task TheCannProfileStopsTheProcessNamingTheBuild()
    {
        var (exit, output) = await FailedStart.RunAsync("--Runtime:Profile=cann", $"--Models:0:Id=m", $"--Models:0:Path={DemoModels.EnsureRandom(TestServer.ModelCache)}");
        Assert.Equal(1, exit);
        Assert.Contains("InferenceServer cannot start: Runtime:Profile 'cann' needs CANNExecutionProvider, which this ONNX Runtime build does not contain "
            + "(it has: CPUExecutionProvider). Install ONNX Runtime built with --use_cann --build_shared_lib", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task AnUnknownProviderOptionStopsTheProcessNamingItAndTheValidOnes()
    {
        var (exit, output) = await FailedStart.RunAsync("--Runtime:Profile=cann", "--Runtime:ProviderOptions:npu_memory_limit=1073741824");
        Assert.Equal(1, exit);
        Assert.Contains("InferenceServer cannot start: Runtime:ProviderOptions:npu_memory_limit is not an option of the 'cann' profile (CANNExecutionProvider); "
            + "its options are: device_id, npu_mem_limit, arena_extend_strategy, enable_cann_graph,", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task DisableCpuFallbackWithTheCpuProfileIsRefused()
    {
        var settings = OneModel("cpu");
        settings["Runtime:DisableCpuFallback"] = "true";
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => TestServer.StartAsync(settings));
        Assert.Contains("Runtime:DisableCpuFallback", e.Message);
        Assert.Contains("Runtime:Profile 'cpu'", e.Message);
    }

    [Theory]
    [InlineData("cann", "CANNExecutionProvider", "npu_mem_limit", "1073741824")]
    [InlineData("openvino", "OpenVINOExecutionProvider", "device_type", "NPU")]
    [InlineData("qnn", "QNNExecutionProvider", "backend_path", "libQnnHtp.so")]
    public async Task WithCpuFallbackTheModelServesAndModelsReportsRequestedAndEffectiveProvider(string profile, string provider, string option, string value)
    {
        var settings = OneModel(profile);
        settings["Runtime:Fallback"] = "cpu";
        settings["Runtime:DisableCpuFallback"] = "true";
        settings[$"Runtime:ProviderOptions:{option}"] = value;
        await using var server = await TestServer.StartAsync(settings);

        var runtime = (await (await server.Client.GetAsync("models")).ReadJsonAsync()).GetProperty("data")[0].GetProperty("runtime");
        Assert.Equal(profile, runtime.GetProperty("profile").GetString());
        Assert.Equal("CPUExecutionProvider", runtime.GetProperty("execution_provider").GetString());
        Assert.Contains(provider, runtime.GetProperty("fallback").GetString());

        var (response, _) = await server.Client.PostJsonAsync("chat/completions", new { model = "m", messages = new[] { new { role = "user", content = "Hi" } }, max_tokens = 2 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
