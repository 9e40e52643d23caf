using System.Net;
using System.Text;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// The built-in demo serves llama2.c's stories260K (real trained weights, converted on first start) as
/// <c>stories-260k</c>: greedy completions over HTTP are the reference continuations of
/// <c>shared/models/stories260K/README.md</c> token for token, plain and streamed, and chat continues the user's text.
/// </summary>
public sealed class Stories260KTests : IClassFixture<BuiltInDemoFixture>
{
    private const string OnceUponATime = "Once upon a time";
    private const string OnceUponATimeContinuation =
        ", there was a little girl named Lily. She loved to play outside in the park. One day, she saw a big, red ball. She wanted to play with it, but it was too high.";

    private const int OnceUponATimeTokens = 57;
    private const string TheCat = "The cat";
    private const string TheCatContinuation =
        " and a boy were playing in the park. They liked to play with their toys and run around the park. They liked to play with their toys and seek.";

    private const int TheCatTokens = 55;
    private readonly HttpClient _client;

    public Stories260KTests(BuiltInDemoFixture server) => _client = server.Server.Client;

    [Theory]
    [InlineData("completions", OnceUponATime, OnceUponATimeContinuation, OnceUponATimeTokens)]
    [InlineData("v1/completions", OnceUponATime, OnceUponATimeContinuation, OnceUponATimeTokens)]
    [InlineData("completions", TheCat, TheCatContinuation, TheCatTokens)]
    [InlineData("v1/completions", TheCat, TheCatContinuation, TheCatTokens)]
    public async Task GreedyCompletionIsTheReferenceContinuation(string path, string prompt, string continuation, int tokens)
    {
        var (response, body) = await _client.PostJsonAsync(path, new { model = "stories-260k", prompt, max_tokens = tokens, temperature = 0 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal(continuation, choice.GetProperty("text").GetString());
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(tokens, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal("stories-260k", body.GetProperty("model").GetString());
    }

    [Fact]
    public async Task StreamedCompletionConcatenatesToTheSameText()
    {
        var response = await _client.PostAsync("v1/completions",
            Http.Json(new { model = "stories-260k", prompt = TheCat, max_tokens = TheCatTokens, temperature = 0, stream = true }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = new StringBuilder();
        foreach (var chunk in Sse.Json(await Sse.ReadDataAsync(response)))
        {
            text.Append(chunk.GetProperty("choices")[0].GetProperty("text").GetString());
        }

        Assert.Equal(TheCatContinuation, text.ToString());
    }

    [Fact]
    public async Task ChatContinuesTheUsersTextWithThePlainTemplate()
    {
        var (response, body) = await _client.PostJsonAsync("v1/chat/completions", new
        {
            model = "stories-260k",
            messages = new[] { new { role = "user", content = OnceUponATime } },
            max_tokens = OnceUponATimeTokens,
            temperature = 0,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal(OnceUponATimeContinuation, choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        var (_, completion) = await _client.PostJsonAsync("v1/completions", new { model = "stories-260k", prompt = OnceUponATime, max_tokens = 1 });
        Assert.Equal(completion.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task TheModelListShowsItAsATextModelWithoutThinking()
    {
        var body = await (await _client.GetAsync("v1/models")).ReadJsonAsync();
        var model = body.GetProperty("data").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "stories-260k");

        Assert.Equal(512, model.GetProperty("context_window").GetInt32());
        Assert.False(model.GetProperty("capabilities").GetProperty("thinking").GetBoolean());
    }
}
