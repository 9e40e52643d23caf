using System.Net;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// <c>Runtime:NativeLibraryPath</c> in a process of its own (the managed package binds its native library once per
/// process): a copy of the packaged CPU library in another folder serves a chat; a missing file and a file that is no
/// library stop the start with one sentence.
/// </summary>
public sealed class NativeLibraryTests
{
    private static readonly string PackagedNative = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");

    private static string CopyOfTheCpuLibrary()
    {
        var folder = Path.Combine(Path.GetTempPath(), "inferenceserver-ort-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        foreach (var file in new[] { "libonnxruntime.so", "libonnxruntime_providers_shared.so" })
        {
            File.Copy(Path.Combine(PackagedNative, file), Path.Combine(folder, file));
        }

        return Path.Combine(folder, "libonnxruntime.so");
    }

    [Fact]
    public async Task ACopyOfTheLibraryInAnotherFolderIsTheOneThatServes()
    {
        var library = CopyOfTheCpuLibrary();
        await using var server = await ServerProcess.StartAsync($"--Runtime:NativeLibraryPath={library}", "--Models:0:Id=m",
            $"--Models:0:Path={DemoModels.EnsureRandom(TestServer.ModelCache)}", "--Models:0:Thinking=none", "--Runtime:HugePages=false");
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        var (response, _) = await client.PostJsonAsync("chat/completions", new { model = "m", messages = new[] { new { role = "user", content = "Hi" } }, max_tokens = 2 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // The process mapped the copy, and not the packaged library beside the server.
        var maps = await File.ReadAllTextAsync($"/proc/{server.Id}/maps");
        Assert.Contains(library, maps);
        Assert.DoesNotContain(Path.Combine(PackagedNative, "libonnxruntime.so"), maps);

        Assert.Contains(server.Output, l => Property(l, "Version") == "1.31.1" && Property(l, "Path") == library);
        Assert.Contains(server.Output, l => Property(l, "Graph")?.EndsWith("model.onnx", StringComparison.Ordinal) == true
            && Property(l, "Placement") is { } placement && placement.StartsWith("all ", StringComparison.Ordinal)
            && placement.EndsWith(" nodes on CPUExecutionProvider", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AMissingFileStopsTheStartWithOneSentence()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-ort-" + Guid.NewGuid().ToString("N"), "libonnxruntime.so");
        var (exit, output) = await FailedStart.RunAsync($"--Runtime:NativeLibraryPath={missing}");
        Assert.Equal(1, exit);
        Assert.Contains($"InferenceServer cannot start: Runtime:NativeLibraryPath '{missing}' does not exist; name the libonnxruntime.so of your ONNX Runtime build.", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task AFileThatIsNoLibraryStopsTheStartWithOneSentence()
    {
        var text = Path.Combine(Path.GetTempPath(), "inferenceserver-not-a-library-" + Guid.NewGuid().ToString("N") + ".so");
        await File.WriteAllTextAsync(text, "this is a text file, not a shared library");
        var (exit, output) = await FailedStart.RunAsync($"--Runtime:NativeLibraryPath={text}");
        Assert.Equal(1, exit);
        Assert.Contains($"InferenceServer cannot start: Runtime:NativeLibraryPath '{text}' is not a shared library this machine can load (", output);
        Assert.DoesNotContain("   at ", output);
        File.Delete(text);
    }

    private static string? Property(string line, string name) =>
        JsonDocument.Parse(line).RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
