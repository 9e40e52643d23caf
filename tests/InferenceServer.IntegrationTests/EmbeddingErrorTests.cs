using System.Net;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

/// <summary>What the embeddings endpoint refuses, each with the error envelope: limits as OpenAI documents them, never silent truncation.</summary>
[Collection(EmbeddingServerCollection.Name)]
public sealed class EmbeddingErrorTests
{
    private const string Model = EmbeddingServerFixture.Model;
    private readonly HttpClient _client;

    public EmbeddingErrorTests(EmbeddingServerFixture fixture) => _client = fixture.Server.Client;

    [Fact]
    public async Task AnInputPastTheModelsTokenMaximumIsA400NamingTheLimit()
    {
        var text = string.Join(' ', Enumerable.Repeat("word", 255)); // 255 + [CLS] + [SEP] = 257 tokens
        var error = await ExpectErrorAsync(new { model = Model, input = new[] { "fine", text } }, HttpStatusCode.BadRequest, "input[1]");
        Assert.Contains("257 tokens", error, StringComparison.Ordinal);
        Assert.Contains("at most 256 tokens per input", error, StringComparison.Ordinal);

        var atLimit = string.Join(' ', Enumerable.Repeat("word", 254));
        var (ok, body) = await _client.PostJsonAsync("v1/embeddings", new { model = Model, input = atLimit });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(256, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task MoreThan2048InputsIsA400()
    {
        var error = await ExpectErrorAsync(new { model = Model, input = Enumerable.Repeat("a", 2049).ToArray() }, HttpStatusCode.BadRequest, "input");
        Assert.Contains("2048", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MoreThanTheTotalTokenBudgetIsA400()
    {
        var ids = Enumerable.Repeat(2088, 200).ToArray();
        var error = await ExpectErrorAsync(new { model = Model, input = Enumerable.Repeat(ids, 1500).ToArray() }, HttpStatusCode.BadRequest, "input");
        Assert.Contains("300000", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model":"all-MiniLM-L6-v2"}""", 422, "input")]
    [InlineData("""{"input":"hi"}""", 422, "model")]
    [InlineData("""{"model":"all-MiniLM-L6-v2","input":""}""", 400, "input")]
    [InlineData("""{"model":"all-MiniLM-L6-v2","input":["ok",""]}""", 400, "input[1]")]
    [InlineData("""{"model":"all-MiniLM-L6-v2","input":[]}""", 400, "input")]
    [InlineData("""{"model":"all-MiniLM-L6-v2","input":[[]]}""", 400, "input[0]")]
    [InlineData("""{"model":"all-MiniLM-L6-v2","input":42}""", 400, "input")]
    [InlineData("""{"model":"all-MiniLM-L6-v2","input":["a",1]}""", 400, "input[1]")]
    [InlineData("""{"model":"all-MiniLM-L6-v2","input":[1,"a"]}""", 400, "input")]
    [InlineData("""{"model":"all-MiniLM-L6-v2","input":[1, 99999]}""", 400, "input")]
    [InlineData("""{"model":"all-MiniLM-L6-v2","input":[[1, -1]]}""", 400, "input[0]")]
    [InlineData("""{"model":"all-MiniLM-L6-v2","input":"hi","encoding_format":"hex"}""", 422, "encoding_format")]
    [InlineData("""{"model":"all-MiniLM-L6-v2","input":"hi","dimensions":385}""", 422, "dimensions")]
    [InlineData("""{"model":"all-MiniLM-L6-v2","input":"hi","dimensions":0}""", 422, "dimensions")]
    [InlineData("""{"model":"nope","input":"hi"}""", 400, "model")]
    [InlineData("""{"model":"deepseek-chat","input":"hi"}""", 400, "model")]
    public async Task BadRequestsGetTheEnvelopeNamingTheParameter(string json, int status, string param)
    {
        var response = await _client.PostAsync("v1/embeddings", Http.Json(json));
        Assert.Equal(status, (int)response.StatusCode);
        var error = (await response.ReadJsonAsync()).GetProperty("error");
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task AChatModelNameSaysWhichModelsEmbed()
    {
        var error = await ExpectErrorAsync(new { model = "deepseek-chat", input = "hi" }, HttpStatusCode.BadRequest, "model");
        Assert.Contains("all-MiniLM-L6-v2", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABodyThatIsNotJsonIsA400()
    {
        var response = await _client.PostAsync("v1/embeddings", Http.Json("{ nope"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).TryGetProperty("error", out _));
    }

    private async Task<string> ExpectErrorAsync(object request, HttpStatusCode status, string param)
    {
        var (response, body) = await _client.PostJsonAsync("v1/embeddings", request);
        Assert.Equal(status, response.StatusCode);
        var error = body.GetProperty("error");
        Assert.Equal(param, error.GetProperty("param").GetString());
        return error.GetProperty("message").GetString()!;
    }
}
