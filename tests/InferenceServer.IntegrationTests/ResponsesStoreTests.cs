using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge.Demo;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// <c>store: true</c> keeps a response for the key that made it: it can be read, continued with
/// <c>previous_response_id</c> and deleted; to another key it does not exist. Without <c>store</c> nothing is kept.
/// </summary>
public sealed class ResponsesStoreTests : IAsyncLifetime
{
    private const string Alice = "sk-alice-5d1e";
    private const string Bob = "sk-bob-90c4";
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(new Dictionary<string, string?>
    {
        ["Auth:Keys:0"] = Alice,
        ["Auth:Keys:1"] = Bob,
        ["Responses:MaxStoredResponses"] = "2",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string key, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Http.Json(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await _server.Client.SendAsync(request);
        return (response.StatusCode, await response.ReadJsonAsync());
    }

    [Fact]
    public async Task AStoredResponseIsReadContinuedAndDeletedByItsOwnerOnly()
    {
        var (status, created) = await SendAsync(HttpMethod.Post, "v1/responses", Alice, new { model = "deepseek-chat", input = "Hi", store = true });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(created.GetProperty("store").GetBoolean());
        var id = created.GetProperty("id").GetString()!;

        var (got, body) = await SendAsync(HttpMethod.Get, $"v1/responses/{id}", Alice);
        Assert.Equal(HttpStatusCode.OK, got);
        Assert.Equal(id, body.GetProperty("id").GetString());
        Assert.Equal(ForgeScripts.DefaultAnswer, body.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());

        var (other, otherBody) = await SendAsync(HttpMethod.Get, $"v1/responses/{id}", Bob);
        Assert.Equal(HttpStatusCode.NotFound, other);
        Assert.Equal("not_found", otherBody.GetProperty("error").GetProperty("code").GetString());
        var (otherContinue, _) = await SendAsync(HttpMethod.Post, "v1/responses", Bob, new { model = "deepseek-chat", input = "Hi", previous_response_id = id });
        Assert.Equal(HttpStatusCode.NotFound, otherContinue);
        var (otherDelete, _) = await SendAsync(HttpMethod.Delete, $"v1/responses/{id}", Bob);
        Assert.Equal(HttpStatusCode.NotFound, otherDelete);

        // The continuation's prompt holds the first turn's input and output: more input tokens than a fresh "Hi".
        var (_, fresh) = await SendAsync(HttpMethod.Post, "v1/responses", Alice, new { model = "deepseek-chat", input = "Hi" });
        var (continued, next) = await SendAsync(HttpMethod.Post, "v1/responses", Alice, new { model = "deepseek-chat", input = "Hi", previous_response_id = id });
        Assert.Equal(HttpStatusCode.OK, continued);
        Assert.Equal(id, next.GetProperty("previous_response_id").GetString());
        Assert.True(next.GetProperty("usage").GetProperty("input_tokens").GetInt32() > fresh.GetProperty("usage").GetProperty("input_tokens").GetInt32());

        var (deleted, deletion) = await SendAsync(HttpMethod.Delete, $"v1/responses/{id}", Alice);
        Assert.Equal(HttpStatusCode.OK, deleted);
        Assert.Equal(id, deletion.GetProperty("id").GetString());
        Assert.True(deletion.GetProperty("deleted").GetBoolean());
        var (gone, _) = await SendAsync(HttpMethod.Get, $"v1/responses/{id}", Alice);
        Assert.Equal(HttpStatusCode.NotFound, gone);
    }

    [Fact]
    public async Task AStoredToolCallIsAnsweredWithOnlyItsOutput()
    {
        var tools = new[] { new { type = "function", name = "get_weather", parameters = new { type = "object", properties = new { location = new { type = "string" } } } } };
        var (_, first) = await SendAsync(HttpMethod.Post, "v1/responses", Alice, new { model = "deepseek-chat", input = "weather in Paris?", tools, store = true });
        var call = first.GetProperty("output")[0];
        Assert.Equal("function_call", call.GetProperty("type").GetString());

        // The stored turn holds the call, so an output naming its call_id answers it; without the store it answers nothing.
        var input = new[] { new { type = "function_call_output", call_id = call.GetProperty("call_id").GetString(), output = "24C" } };
        var (status, next) = await SendAsync(HttpMethod.Post, "v1/responses", Alice, new { model = "deepseek-chat", input, tools, previous_response_id = first.GetProperty("id").GetString() });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("completed", next.GetProperty("status").GetString());
        var (alone, error) = await SendAsync(HttpMethod.Post, "v1/responses", Alice, new { model = "deepseek-chat", input, tools });
        Assert.Equal(HttpStatusCode.BadRequest, alone);
        Assert.Contains("answers no tool call", error.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task WithoutStoreNothingIsKeptAndTheOldestStoredGoesFirst()
    {
        var (_, unstored) = await SendAsync(HttpMethod.Post, "responses", Alice, new { model = "deepseek-chat", input = "Hi" });
        var (missing, _) = await SendAsync(HttpMethod.Get, $"responses/{unstored.GetProperty("id").GetString()}", Alice);
        Assert.Equal(HttpStatusCode.NotFound, missing);

        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (_, stored) = await SendAsync(HttpMethod.Post, "v1/responses", Bob, new { model = "deepseek-chat", input = "Hi", store = true, stream = false });
            ids.Add(stored.GetProperty("id").GetString()!);
        }

        // MaxStoredResponses is 2: the first of the three was evicted.
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"v1/responses/{ids[0]}", Bob)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, $"v1/responses/{ids[2]}", Bob)).Status);
    }
}
