using System.Net;
using InferenceServer.IntegrationTests.Infrastructure;
using static InferenceServer.IntegrationTests.Infrastructure.ChatBodies;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// ONNX Runtime's own log lines go through the server's Serilog pipeline (here its JSON console format, category
/// <c>OnnxRuntime</c>) instead of ONNX Runtime's bare stderr sink, so log shippers see them with the rest.
/// </summary>
public sealed class OnnxRuntimeLogTests
{
    [Fact]
    public async Task AFailingNodeIsLoggedAsAnErrorEventOfTheServerNotOnStderr()
    {
        var folder = FaultyModel.Create();
        await using var server = await ServerProcess.StartAsync(
            "--Models:0:Id=faulty", $"--Models:0:Path={folder}", "--Models:0:Thinking=none", "--Models:0:MaxContextLength=256");
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        var (response, body) = await client.PostJsonAsync("chat/completions", ChatBody("faulty", $"Hello {FaultyModel.Fault}", new { max_tokens = 4 }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("aborted", body.GetProperty("choices")[0].GetProperty("finish_reason").GetString());

        var line = await server.WaitForLogAsync(
            e => e.TryGetProperty("SourceContext", out var c) && c.GetString() == "OnnxRuntime", TimeSpan.FromSeconds(30));
        Assert.Equal("Error", line.GetProperty("@l").GetString());
        Assert.Contains("Gather", line.GetProperty("OrtMessage").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(server.Errors, l => l.Contains("onnxruntime", StringComparison.OrdinalIgnoreCase));
    }
}
