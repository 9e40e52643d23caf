using System.Net;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge;
using Microsoft.Extensions.Options;

namespace InferenceServer.IntegrationTests;

/// <summary>Start-up fails loudly and precisely on bad models and bad configuration.</summary>
public sealed class StartupTests
{
    private static Dictionary<string, string?> OneModel(string path) => new()
    {
        ["Models:0:Id"] = "m",
        ["Models:0:Path"] = path,
    };

    private static string CopyOfRandomModel()
    {
        var source = DemoModels.EnsureRandom(TestServer.ModelCache);
        var copy = Path.Combine(Path.GetTempPath(), "inferenceserver-startup-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }

    [Fact]
    public async Task AMissingFolderNamesTheFolder()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-model-" + Guid.NewGuid().ToString("N"));
        var e = await Assert.ThrowsAsync<ModelLoadException>(() => TestServer.StartAsync(OneModel(missing)));
        Assert.Contains(missing, e.Message);
    }

    [Theory]
    [InlineData("model.onnx")]
    [InlineData("genai_config.json")]
    [InlineData("tokenizer.json")]
    public async Task ACorruptFileIsNamed(string file)
    {
        var folder = CopyOfRandomModel();
        await File.WriteAllTextAsync(Path.Combine(folder, file), "this is not what the file should hold");
        var e = await Assert.ThrowsAsync<ModelLoadException>(() => TestServer.StartAsync(OneModel(folder)));
        Assert.Contains(file, e.Message);
    }

    [Fact]
    public async Task AMissingDecoderFileIsNamed()
    {
        var folder = CopyOfRandomModel();
        File.Delete(Path.Combine(folder, "model.onnx"));
        var e = await Assert.ThrowsAsync<ModelLoadException>(() => TestServer.StartAsync(OneModel(folder)));
        Assert.Contains("model.onnx", e.Message);
    }

    [Fact]
    public async Task APrefixCacheDirectoryThatCannotBeWrittenStopsTheStartNamingIt()
    {
        // A directory below a regular file can never be created.
        var file = Path.Combine(Path.GetTempPath(), "inferenceserver-not-a-directory-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(file, "a file");
        var settings = OneModel(DemoModels.EnsureRandom(TestServer.ModelCache));
        settings["Models:0:PrefixCacheDirectory"] = Path.Combine(file, "cache");
        var e = await Assert.ThrowsAsync<ModelLoadException>(() => TestServer.StartAsync(settings));
        Assert.Contains("prefix cache directory", e.Message);
        Assert.Contains(file, e.Message);
        File.Delete(file);
    }

    [Fact]
    public async Task AWrongConfigurationValueNamesTheKeyAndTheAllowedValues()
    {
        var settings = OneModel(DemoModels.EnsureRandom(TestServer.ModelCache));
        settings["Runtime:Profile"] = "tpu";
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => TestServer.StartAsync(settings));
        Assert.Contains("Runtime:Profile", e.Message);
        Assert.Contains("cpu, cuda, directml, cann, openvino, qnn, tensorrt, rocm, migraphx, coreml", e.Message);
    }

    [Fact]
    public async Task TheCudaProfileOnACpuBuildFailsWithTheBuildSwitch()
    {
        var settings = OneModel(DemoModels.EnsureRandom(TestServer.ModelCache));
        settings["Runtime:Profile"] = "cuda";
        var e = await Assert.ThrowsAsync<ProviderUnavailableException>(() => TestServer.StartAsync(settings));
        Assert.Contains("OnnxRuntimeFlavor=Cuda", e.Message);
    }

    [Fact]
    public async Task TheCudaProfileWithCpuFallbackServesAndSaysSoInModels()
    {
        var settings = OneModel(DemoModels.EnsureRandom(TestServer.ModelCache));
        settings["Runtime:Profile"] = "cuda";
        settings["Runtime:Fallback"] = "cpu";
        settings["Models:0:Thinking"] = "none";
        await using var server = await TestServer.StartAsync(settings);
        var body = await (await server.Client.GetAsync("models")).ReadJsonAsync();
        var runtime = body.GetProperty("data")[0].GetProperty("runtime");
        Assert.Equal("cuda", runtime.GetProperty("profile").GetString());
        Assert.Equal("CPUExecutionProvider", runtime.GetProperty("execution_provider").GetString());
        Assert.Contains("CUDAExecutionProvider", runtime.GetProperty("fallback").GetString());
        var (response, _) = await server.Client.PostJsonAsync("chat/completions", new { model = "m", messages = new[] { new { role = "user", content = "Hi" } }, max_tokens = 2 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task WithNoModelConfiguredTheDemoIsServed()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>());
        var (response, body) = await server.Client.PostJsonAsync("chat/completions",
            new { model = "deepseek-chat", messages = new[] { new { role = "user", content = "Hi" } }, max_tokens = 1 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hello", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Theory]
    [InlineData("--Runtime:Profile=tpu --Models:0:Path=/no/such/model-folder",
        "InferenceServer cannot start: Runtime:Profile 'tpu' is not valid; use one of: cpu, cuda, directml, cann, openvino, qnn, tensorrt, rocm, migraphx, coreml.")]
    [InlineData("--Models:0:Path=/no/such/model-folder", "InferenceServer cannot start: Model 'm': folder '/no/such/model-folder' does not exist.")]
    [InlineData("--Models:0:Path=/no/such/model-folder --Models:0:Speculation:MaxDraftTokens=-1", "Speculation needs MaxDraftTokens 0 (off) to 64, NgramSize 1 to 16 and MaxBatch 0 (off) to 256.")]
    public async Task AFailedStartPrintsItsOneSentenceWithoutAStackTrace(string settings, string sentence)
    {
        var (exit, output) = await FailedStart.RunAsync(["--Models:0:Id=m", .. settings.Split(' ')]);
        Assert.Equal(1, exit);
        Assert.Contains(sentence, output);
        Assert.DoesNotContain("   at ", output);
        Assert.DoesNotContain(" ERR] ", output);
        Assert.DoesNotContain("Exception", output);
    }

    [Fact]
    public async Task AtDebugTheStackTraceOfAFailedStartIsLogged()
    {
        var (exit, output) = await FailedStart.RunAsync("--Runtime:Profile=tpu", "--Serilog:MinimumLevel:Default=Debug");
        Assert.Equal(1, exit);
        Assert.Contains("The start failed", output);
        Assert.Contains("   at ", output);
        Assert.Contains("InferenceServer cannot start: Runtime:Profile 'tpu' is not valid", output);
    }
}
