using System.Net;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

[Collection(DemoServerCollection.Name)]
public sealed class BadInputTests
{
    private const string Ok = "\"model\":\"deepseek-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";
    private readonly HttpClient _client;

    public BadInputTests(DemoServerFixture fixture) => _client = fixture.Server.Client;

    /// <summary>Body, expected status, expected <c>param</c> (null when the envelope's param is null).</summary>
    public static TheoryData<string, int, string?> Bodies() => new()
    {
        { "", 400, null },
        { "{", 400, null },
        { "not json", 400, null },
        { "[1,2,3]", 400, null },
        { "\"just a string\"", 400, null },
        { "{\"model\":\"deepseek-chat\",\"messages\":[}", 400, null },
        { "{\"model\":\"deepseek-chat\" \"messages\":[]}", 400, null },
        { "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", 422, "model" },
        { "{\"model\":\"no-such-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", 400, "model" },
        { "{\"model\":42,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", 422, "model" },
        { "{\"model\":\"deepseek-chat\"}", 422, "messages" },
        { "{\"model\":\"deepseek-chat\",\"messages\":[]}", 422, "messages" },
        { "{\"model\":\"deepseek-chat\",\"messages\":\"Hi\"}", 422, "messages" },
        { "{\"model\":\"deepseek-chat\",\"messages\":[{\"role\":\"wizard\",\"content\":\"Hi\"}]}", 422, "messages[0].role" },
        { "{\"model\":\"deepseek-chat\",\"messages\":[{\"content\":\"Hi\"}]}", 422, "messages[0].role" },
        { "{\"model\":\"deepseek-chat\",\"messages\":[{\"role\":\"user\"}]}", 422, "messages[0].content" },
        { "{\"model\":\"deepseek-chat\",\"messages\":[{\"role\":\"user\",\"content\":42}]}", 422, "messages[0].content" },
        { "{\"model\":\"deepseek-chat\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"video\"}]}]}", 400, "messages[0].content" },
        { "{\"model\":\"deepseek-chat\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}", 422, "messages[0].tool_call_id" },
        { "{" + Ok + ",\"temperature\":2.5}", 422, "temperature" },
        { "{" + Ok + ",\"temperature\":-0.1}", 422, "temperature" },
        { "{" + Ok + ",\"temperature\":\"hot\"}", 422, "temperature" },
        { "{" + Ok + ",\"top_p\":0}", 422, "top_p" },
        { "{" + Ok + ",\"top_p\":1.5}", 422, "top_p" },
        { "{" + Ok + ",\"frequency_penalty\":3}", 422, "frequency_penalty" },
        { "{" + Ok + ",\"presence_penalty\":-2.5}", 422, "presence_penalty" },
        { "{" + Ok + ",\"max_tokens\":0}", 422, "max_tokens" },
        { "{" + Ok + ",\"max_tokens\":1000000}", 422, "max_tokens" },
        { "{" + Ok + ",\"max_tokens\":1.5}", 422, "max_tokens" },
        { "{" + Ok + ",\"max_tokens\":\"ten\"}", 422, "max_tokens" },
        { "{" + Ok + ",\"stop\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\",\"11\",\"12\",\"13\",\"14\",\"15\",\"16\",\"17\"]}", 422, "stop" },
        { "{" + Ok + ",\"stop\":42}", 422, "stop" },
        { "{" + Ok + ",\"stop\":[\"ok\",7]}", 422, "stop" },
        { "{" + Ok + ",\"stream\":\"yes\"}", 422, "stream" },
        { "{" + Ok + ",\"stream_options\":{\"include_usage\":true}}", 400, "stream_options" },
        { "{" + Ok + ",\"n\":0}", 422, "n" },
        { "{" + Ok + ",\"n\":9}", 422, "n" },
        { "{" + Ok + ",\"thinking\":{\"type\":\"sometimes\"}}", 422, "thinking.type" },
        { "{" + Ok + ",\"reasoning_effort\":\"extreme\"}", 422, "reasoning_effort" },
        { "{" + Ok + ",\"top_logprobs\":3}", 422, "top_logprobs" },
        { "{" + Ok + ",\"seed\":\"abc\"}", 422, "seed" },
        { "{\"model\":\"deepseek-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"user\",\"content\":\"x\",\"prefix\":true}]}", 422, "messages[1].prefix" },
        { "{" + Ok + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"bad name!\"}}]}", 422, "tools[0].function.name" },
        { "{" + Ok + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}}]}", 422, "tools[0].function.name" },
        { "{" + Ok + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}},{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}", 400, "tools[1].function.name" },
        { "{" + Ok + ",\"tools\":[{\"type\":\"retrieval\"}]}", 422, "tools[0].type" },
        { "{" + Ok + ",\"tools\":{}}", 422, "tools" },
        { "{" + Ok + ",\"tool_choice\":\"required\"}", 400, "tool_choice" },
        { "{" + Ok + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"tool_choice\":\"sometimes\"}", 422, "tool_choice" },
        { "{" + Ok + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"g\"}}}", 400, "tool_choice" },
        { "{" + Ok + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"strict\":true,\"parameters\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"pattern\":\"(?=x)\"}},\"required\":[\"a\"],\"additionalProperties\":false}}}]}", 400, "tools[0].function.parameters" },
        { "{\"model\":\"deepseek-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"tool\",\"tool_call_id\":\"call_9\",\"content\":\"x\"}]}", 400, "messages[1].tool_call_id" },
        { "{\"model\":\"deepseek-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"x\",\"tool_calls\":[{\"id\":1}]}]}", 422, "messages[1].tool_calls[0]" },
        { "{\"model\":\"deepseek-reasoner\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"x\"}]}", 400, null },
        { "{\"model\":\"deepseek-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"x\",\"prefix\":true}]}", 400, "messages[1].prefix" },
        { "{\"model\":\"deepseek-reasoner\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"tool_choice\":\"required\"}", 400, "tool_choice" },
        { "{" + Ok + ",\"logprobs\":true,\"top_logprobs\":21}", 422, "top_logprobs" },
        { "{" + Ok + ",\"response_format\":{\"type\":\"xml\"}}", 422, "response_format.type" },
        { "{" + Ok + ",\"response_format\":{\"type\":\"json_schema\"}}", 422, "response_format.json_schema" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task MalformedBodiesGetTheErrorEnvelopeWithTheRightStatus(string body, int status, string? param)
    {
        var response = await _client.PostAsync("chat/completions", Http.Json(body));
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", text);
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.True(error.TryGetProperty("code", out _));
        Assert.Equal(param, error.GetProperty("param").ValueKind == JsonValueKind.Null ? null : error.GetProperty("param").GetString());

        // The server keeps serving.
        var (again, ok) = await _client.PostJsonAsync("chat/completions",
            new { model = "deepseek-chat", messages = new[] { new { role = "user", content = "Hi" } }, max_tokens = 1 });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("Hello", ok.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task APromptLongerThanTheContextGetsDeepSeeksMessage()
    {
        var longText = string.Join(' ', Enumerable.Repeat("Hi", 5000));
        var (response, body) = await _client.PostJsonAsync("chat/completions",
            new { model = "deepseek-chat", messages = new[] { new { role = "user", content = longText } } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("This model's maximum context length is 4096 tokens. However, you requested", body.GetProperty("error").GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("GET", "chat/completions", 405)]
    [InlineData("POST", "no/such/route", 404)]
    public async Task UnknownRoutesAndMethodsAlsoGetTheEnvelope(string method, string path, int status)
    {
        var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(status, (int)response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.False(string.IsNullOrEmpty(body.GetProperty("error").GetProperty("message").GetString()));
    }
}
