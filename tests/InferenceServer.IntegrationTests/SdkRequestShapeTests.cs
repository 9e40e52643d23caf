using System.Net;
using System.Text.Json;
using Anthropic;
using Anthropic.Core;
using Anthropic.Models.Messages;
using InferenceServer.IntegrationTests.Infrastructure;
using static InferenceServer.IntegrationTests.Infrastructure.ChatBodies;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// What popular SDKs send that used to fail: the Anthropic SDKs' large default <c>max_tokens</c>, image parts (one
/// status on both routes), and bodies with apostrophes or accents (written as themselves, not <c>\u0027</c>).
/// </summary>
[Collection(DemoServerCollection.Name)]
public sealed class SdkRequestShapeTests : IDisposable
{
    private const string Answer = "Hello! This is the InferenceServer demo model: its replies are scripted, so configure a real one to chat.";
    private readonly HttpClient _client;
    private readonly AnthropicClient _anthropic;

    public SdkRequestShapeTests(DemoServerFixture fixture)
    {
        _client = fixture.Server.Client;
        _anthropic = new AnthropicClient(new ClientOptions
        {
            BaseUrl = new Uri(fixture.Server.BaseAddress, "anthropic").ToString(),
            ApiKey = "sk-local",
            MaxRetries = 0,
        });
    }

    public void Dispose() => _anthropic.Dispose();

    private async Task<HttpResponseMessage> AnthropicAsync(object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "anthropic/v1/messages") { Content = Http.Json(body) };
        request.Headers.Add("x-api-key", "sk-local");
        return await _client.SendAsync(request);
    }

    [Fact]
    public async Task TheAnthropicSdksDefaultMaxTokensIsAcceptedAndTheAnswerIsWhole()
    {
        Message message = await _anthropic.Messages.Create(new MessageCreateParams
        {
            Model = "claude-sonnet-4-5",
            MaxTokens = 64000,
            Messages = [new UserMessageParam("Hi")],
        });
        Assert.True(Assert.Single(message.Content).TryPickText(out var text));
        Assert.Equal(Answer, text.Text);
        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
    }

    [Fact]
    public async Task AMaxTokensPastTheContextIsClampedAndTheClampEndsWithMaxTokens()
    {
        // The endless script ("forever") writes until the clamp; the prompt is sized to leave it about 30 tokens.
        var ten = await InputTokensAsync(10);
        var perTenWords = await InputTokensAsync(20) - ten;
        var words = 10 + (int)((4096 - 30 - ten) * 10.0 / perTenWords);
        var response = await AnthropicAsync(new { model = "deepseek-chat", max_tokens = 64000, messages = new[] { new { role = "user", content = Forever(words) } } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("max_tokens", body.GetProperty("stop_reason").GetString());
        var usage = body.GetProperty("usage");
        Assert.Equal(4096, usage.GetProperty("input_tokens").GetInt32() + usage.GetProperty("output_tokens").GetInt32());
        Assert.StartsWith("Counting: tick tock", body.GetProperty("content")[0].GetProperty("text").GetString());

        // Chat keeps DeepSeek's range check.
        var (chat, error) = await _client.PostJsonAsync("chat/completions", ChatBody("deepseek-chat", "Hi", new { max_tokens = 64000 }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, chat.StatusCode);
        Assert.Equal("Invalid max_tokens value, the valid range of max_tokens is [1, 4096]", error.GetProperty("error").GetProperty("message").GetString());
    }

    private static string Forever(int words) => string.Join(' ', Enumerable.Repeat("forever", words));

    private async Task<int> InputTokensAsync(int words)
    {
        var response = await AnthropicAsync(new { model = "deepseek-chat", max_tokens = 1, messages = new[] { new { role = "user", content = Forever(words) } } });
        return (await response.ReadJsonAsync()).GetProperty("usage").GetProperty("input_tokens").GetInt32();
    }

    [Fact]
    public async Task AnImagePartIs400OnChatAndOnTheAnthropicRoute()
    {
        var png = Convert.ToBase64String(Uploads.Png);
        var parts = new object[] { new { type = "text", text = "What is this?" }, new { type = "image_url", image_url = new { url = "data:image/png;base64," + png } } };
        var (chat, chatBody) = await _client.PostJsonAsync("chat/completions", new { model = "deepseek-chat", messages = new[] { new { role = "user", content = parts } } });
        Assert.Equal(HttpStatusCode.BadRequest, chat.StatusCode);
        var error = chatBody.GetProperty("error");
        Assert.Equal("messages[0].content[1]", error.GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains("content parts of type 'image_url' are not supported by model 'deepseek-chat', which reads text only", error.GetProperty("message").GetString());

        var blocks = new object[] { new { type = "image", source = new { type = "base64", media_type = "image/png", data = png } }, new { type = "text", text = "What is this?" } };
        var anthropic = await AnthropicAsync(new { model = "claude-sonnet-4-5", max_tokens = 64, messages = new[] { new { role = "user", content = blocks } } });
        Assert.Equal(HttpStatusCode.BadRequest, anthropic.StatusCode);
        var anthropicError = (await anthropic.ReadJsonAsync()).GetProperty("error");
        Assert.Equal("invalid_request_error", anthropicError.GetProperty("type").GetString());
        Assert.Contains("content parts of type 'image' are not supported by model", anthropicError.GetProperty("message").GetString());
    }

    [Fact]
    public async Task ErrorBodiesWriteApostrophesAndAccentsAsThemselves()
    {
        var response = await _client.PostAsync("chat/completions", Http.Json(ChatBody("modèle-d'essai", "Hi")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var raw = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"Model Not Exist: 'modèle-d'essai'.", raw);
        Assert.DoesNotContain("\\u00", raw);

        var anthropic = await AnthropicAsync(new { model = "claude-sonnet-4-5", max_tokens = 64, messages = new[] { new { role = "system", content = "Hi" } } });
        var anthropicRaw = await anthropic.Content.ReadAsStringAsync();
        Assert.Contains("Input should be 'user' or 'assistant'", anthropicRaw);
        Assert.DoesNotContain("\\u0027", anthropicRaw);
    }

    [Fact]
    public async Task ResponseBodiesAndStreamedEventsWriteApostrophesAsThemselves()
    {
        var whole = await AnthropicAsync(new { model = "claude-o'brien", max_tokens = 64, messages = new[] { new { role = "user", content = "Hi" } } });
        var wholeRaw = await whole.Content.ReadAsStringAsync();
        Assert.True(wholeRaw.Contains("\"model\":\"claude-o'brien\"", StringComparison.Ordinal), wholeRaw);

        var streamed = await AnthropicAsync(new { model = "claude-o'brien", max_tokens = 64, stream = true, messages = new[] { new { role = "user", content = "Hi" } } });
        var events = await streamed.Content.ReadAsStringAsync();
        Assert.Contains("\"model\":\"claude-o'brien\"", events);
        Assert.DoesNotContain("\\u0027", events);
        using var start = JsonDocument.Parse(events.Split('\n').First(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..]);
        Assert.Equal("message_start", start.RootElement.GetProperty("type").GetString());
    }
}
