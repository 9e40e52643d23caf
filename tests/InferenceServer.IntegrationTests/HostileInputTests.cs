using System.Net;
using System.Net.Http.Headers;
using System.Text;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// Text that is not Unicode (a lone surrogate escape, bytes that are not UTF-8) is a 400 that says so and names the
/// field, on every JSON route and in every field (it used to be a 500, or a 422 saying "wrong type").
/// </summary>
[Collection(DemoServerCollection.Name)]
public sealed class HostileInputTests
{
    private const string Chat = "\"model\":\"deepseek-chat\",\"max_tokens\":2";
    private const string Hi = "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";
    private const string Tool = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]";
    private const string Anthropic = "\"model\":\"claude-sonnet-4\",\"max_tokens\":5";
    private readonly HttpClient _client;

    public HostileInputTests(DemoServerFixture fixture) => _client = fixture.Server.Client;

    /// <summary>Route, body with <c>BAD</c> where the invalid text goes, and the field named.</summary>
    public static TheoryData<string, string, string> Places() => new()
    {
        { "chat/completions", "{" + Chat + ",\"messages\":[{\"role\":\"user\",\"content\":\"aBADb\"}]}", "messages[0].content" },
        { "chat/completions", "{" + Chat + ",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"BAD\"}]}]}", "messages[0].content[0].text" },
        { "chat/completions", "{" + Chat + "," + Hi + "," + Tool + ",\"tool_choice\":\"BAD\"}", "tool_choice" },
        { "chat/completions", "{" + Chat + "," + Hi + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"BAD\"}}]}", "tools[0].function.name" },
        {
            "chat/completions",
            "{" + Chat + "," + Hi + ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"s\",\"schema\":{\"type\":\"string\",\"pattern\":\"BAD\"}}}}",
            "response_format.json_schema.schema.pattern"
        },
        { "chat/completions", "{" + Chat + "," + Hi + ",\"stop\":[\"ok\",\"BAD\"]}", "stop[1]" },
        { "chat/completions", "{" + Chat + "," + Hi + ",\"metadata\":{\"BAD\":1}}", "metadata" },
        { "completions", "{\"model\":\"deepseek-chat\",\"prompt\":\"BAD\"}", "prompt" },
        { "embeddings", "{\"model\":\"deepseek-chat\",\"input\":\"BAD\"}", "input" },
        { "embeddings", "{\"model\":\"deepseek-chat\",\"input\":[\"ok\",\"BAD\"]}", "input[1]" },
        { "anthropic/v1/messages", "{" + Anthropic + ",\"messages\":[{\"role\":\"user\",\"content\":\"BAD\"}]}", "messages[0].content" },
        { "anthropic/v1/messages", "{" + Anthropic + ",\"system\":\"BAD\"," + Hi + "}", "system" },
        { "v1/messages", "{" + Anthropic + ",\"system\":[{\"type\":\"text\",\"text\":\"BAD\"}]," + Hi + "}", "system[0].text" },
    };

    /// <summary>The invalid texts: escapes as JSON text, raw bytes as the bytes themselves.</summary>
    private static readonly string[] Texts = ["\\ud800", "\\udc00", "x\\ud800\\u0041", "\\ud83d\\ud83d", "0xFF", "0xC3", "0xED0xA00x80"];

    public static IEnumerable<object[]> Cases() =>
        from place in Places()
        from text in Texts
        select new object[] { place[0], place[1], place[2], text };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task InvalidTextIsA400ThatSaysSoAndNamesTheField(string route, string body, string field, string text)
    {
        var response = await _client.PostAsync(route, Bytes(body.Replace("BAD", text, StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await response.ReadJsonAsync();
        if (route.Contains("messages", StringComparison.Ordinal))
        {
            Assert.Equal("error", json.GetProperty("type").GetString());
            Assert.Contains($"'{field}'", json.GetProperty("error").GetProperty("message").GetString());
        }
        else
        {
            Assert.Equal(field, json.GetProperty("error").GetProperty("param").GetString());
        }

        Assert.Contains("not valid Unicode", json.GetProperty("error").GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("\\ud83d\\ude00")]
    [InlineData("\\u00e9\\n\\\\ud800")]
    [InlineData("0xC30xA9 0xF00x9F0x980x80")]
    public async Task ValidTextAroundEscapesStillPasses(string text)
    {
        var body = "{" + Chat + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi " + text + "\"}]}";
        var response = await _client.PostAsync("chat/completions", Bytes(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hello!", (await response.ReadJsonAsync()).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task AnUnpairedSurrogateInAPropertyNameIsRefusedToo()
    {
        var response = await _client.PostAsync("chat/completions", Bytes("{" + Chat + "," + Hi + ",\"\\ud800\":1}"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.ReadJsonAsync()).GetProperty("error");
        Assert.Equal("body", error.GetProperty("param").GetString());
        Assert.Contains("not valid Unicode", error.GetProperty("message").GetString());
    }

    /// <summary>The body as UTF-8, with each <c>0xHH</c> replaced by that raw byte (to send bytes that are not UTF-8).</summary>
    private static ByteArrayContent Bytes(string body)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < body.Length; i++)
        {
            if (body.AsSpan(i).StartsWith("0x") && i + 4 <= body.Length)
            {
                bytes.Add(Convert.ToByte(body.Substring(i + 2, 2), 16));
                i += 3;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(body[i].ToString()));
            }
        }

        var content = new ByteArrayContent([.. bytes]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
