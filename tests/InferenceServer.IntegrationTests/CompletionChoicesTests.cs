using System.Net;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

/// <summary><c>n</c> on text completions and FIM: n texts from one prompt, streamed with their index, usage counting the prompt once.</summary>
[Collection(DemoServerCollection.Name)]
public sealed class CompletionChoicesTests
{
    private readonly HttpClient _client;

    public CompletionChoicesTests(DemoServerFixture fixture) => _client = fixture.Server.Client;

    [Theory]
    [InlineData("v1/completions")]
    [InlineData("completions")]
    public async Task ThreeCompletionsOfOnePromptInIndexOrder(string path)
    {
        var (_, single) = await _client.PostJsonAsync(path, new { model = "deepseek-chat", prompt = "Once upon a time" });
        var (response, body) = await _client.PostJsonAsync(path, new { model = "deepseek-chat", prompt = "Once upon a time", echo = true, n = 3 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var choices = body.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2], choices.Select(c => c.GetProperty("index").GetInt32()));
        Assert.All(choices, c => Assert.Equal("Once upon a time, the end.", c.GetProperty("text").GetString()));
        Assert.Equal(single.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(3 * single.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task FimTakesNToo()
    {
        var (_, body) = await _client.PostJsonAsync("beta/completions",
            new { model = "deepseek-chat", prompt = "def add(a, b):\n    ", suffix = "\n\nprint(add(1, 2))", max_tokens = 64, n = 2 });
        Assert.Equal(["return a + b", "return a + b"], body.GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("text").GetString()));
        Assert.Equal(8, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task StreamedCompletionsCarryTheirIndexAndEachAFinishReason()
    {
        var response = await _client.PostAsync("v1/completions",
            Http.Json(new { model = "deepseek-chat", prompt = "Once upon a time", n = 2, stream = true, stream_options = new { include_usage = true } }));
        var chunks = Sse.Json(await Sse.ReadDataAsync(response));
        var withChoice = chunks.Where(c => c.GetProperty("choices").GetArrayLength() == 1).Select(c => c.GetProperty("choices")[0]).ToList();
        for (var i = 0; i < 2; i++)
        {
            var mine = withChoice.Where(c => c.GetProperty("index").GetInt32() == i).ToList();
            Assert.Equal(", the end.", string.Concat(mine.Select(c => c.GetProperty("text").GetString())));
            Assert.Equal(["stop"], mine.Select(c => c.GetProperty("finish_reason")).Where(f => f.ValueKind == JsonValueKind.String).Select(f => f.GetString()));
        }

        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
        Assert.Equal(2, chunks.Count(c => c.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object));
    }

    [Fact]
    public async Task AnNOverTheBoundIsA422NamingN()
    {
        var (response, body) = await _client.PostJsonAsync("v1/completions", new { model = "deepseek-chat", prompt = "Once", n = 9 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("n", body.GetProperty("error").GetProperty("param").GetString());
    }
}
