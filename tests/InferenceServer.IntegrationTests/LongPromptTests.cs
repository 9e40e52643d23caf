using System.Net;
using System.Text.RegularExpressions;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// Prompts past the context: refused with DeepSeek's context message, the exact count when the prompt is within twice the
/// context, "at least" a bound when it is longer (it is then not tokenized to its end: a 15 MB prompt is refused having
/// counted a few thousand tokens, not its 15 million).
/// </summary>
[Collection(DemoServerCollection.Name)]
public sealed partial class LongPromptTests
{
    private readonly HttpClient _client;

    public LongPromptTests(DemoServerFixture fixture) => _client = fixture.Server.Client;

    [Fact]
    public async Task A_prompt_just_over_the_context_gets_DeepSeeks_message_with_its_exact_count()
    {
        var (response, body) = await _client.PostJsonAsync("chat/completions",
            new { model = "deepseek-chat", messages = new[] { new { role = "user", content = string.Join(' ', Enumerable.Repeat("Hi", 2500)) } }, max_tokens = 10 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var match = Exact().Match(body.GetProperty("error").GetProperty("message").GetString()!);
        Assert.True(match.Success, body.ToString());
        Assert.Equal(int.Parse(match.Groups[2].Value) + 10, int.Parse(match.Groups[1].Value));
        Assert.Equal("messages", body.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task A_15_MB_chat_prompt_is_refused_without_being_tokenized_to_its_end()
    {
        var (response, body) = await _client.PostJsonAsync("chat/completions",
            new { model = "deepseek-chat", messages = new[] { new { role = "user", content = Text(15 * 1024 * 1024) } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = body.GetProperty("error").GetProperty("message").GetString()!;
        var match = AtLeast().Match(message);
        Assert.True(match.Success, message);
        Assert.InRange(long.Parse(match.Groups[2].Value), 2 * 4096 + 1, 15L * 1024 * 1024);
        Assert.Equal("messages", body.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task A_15_MB_completion_prompt_is_refused_the_same_way()
    {
        var (response, body) = await _client.PostJsonAsync("beta/completions", new { model = "deepseek-chat", prompt = Text(15 * 1024 * 1024) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Matches(AtLeast(), body.GetProperty("error").GetProperty("message").GetString()!.Replace("prompt", "messages", StringComparison.Ordinal));
        Assert.Equal("prompt", body.GetProperty("error").GetProperty("param").GetString());
    }

    private static string Text(int length) => string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog. ", length / 45 + 1))[..length];

    [GeneratedRegex(@"^This model's maximum context length is 4096 tokens\. However, you requested (\d+) tokens \((\d+) in the messages, 10 in the completion\)\. Please reduce the length of the messages or completion\.$")]
    private static partial Regex Exact();

    [GeneratedRegex(@"^This model's maximum context length is 4096 tokens\. However, you requested at least (\d+) tokens \(at least (\d+) in the messages, 1 in the completion\)\. Please reduce the length of the messages or completion\.$")]
    private static partial Regex AtLeast();
}
