using System.ClientModel;
using System.Net;
using InferenceServer.IntegrationTests.Infrastructure;
using OpenAI;
using OpenAI.Embeddings;

namespace InferenceServer.IntegrationTests;

/// <summary>The embeddings endpoint's wire shape: inputs, encodings, dimensions, usage, /models, the OpenAI SDK.</summary>
[Collection(EmbeddingServerCollection.Name)]
public sealed class EmbeddingsTests
{
    private const string Model = EmbeddingServerFixture.Model;
    private readonly EmbeddingServerFixture _fixture;
    private readonly HttpClient _client;

    public EmbeddingsTests(EmbeddingServerFixture fixture)
    {
        _fixture = fixture;
        _client = fixture.Server.Client;
    }

    [Theory]
    [InlineData("embeddings")]
    [InlineData("v1/embeddings")]
    public async Task AStringGivesOneUnitVectorOfTheModelsSize(string path)
    {
        var (response, body) = await _client.PostJsonAsync(path, new { model = Model, input = "hello world", user = "user-1" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("list", body.GetProperty("object").GetString());
        Assert.Equal(Model, body.GetProperty("model").GetString());
        var item = Assert.Single(body.GetProperty("data").EnumerateArray());
        Assert.Equal("embedding", item.GetProperty("object").GetString());
        Assert.Equal(0, item.GetProperty("index").GetInt32());
        var vector = Vectors.FromResponse(body)[0];
        Assert.Equal(384, vector.Length);
        Assert.Equal(1.0, Vectors.Norm(vector), 5);
        Assert.Equal(4, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32()); // [CLS] hello world [SEP]
        Assert.Equal(4, body.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task EveryInputFormGivesTheSameVectorForTheSameText()
    {
        int[] ids = [7592, 2088]; // "hello world" without [CLS]/[SEP]: the server adds them
        var fromString = await EmbedAsync(new { model = Model, input = "hello world" });
        var fromStrings = await EmbedAsync(new { model = Model, input = new[] { "hello world", "other" } });
        var fromIds = await EmbedAsync(new { model = Model, input = ids });
        var fromIdArrays = await EmbedAsync(new { model = Model, input = new[] { ids, [101, 7592, 2088, 102] } });
        Assert.Equal(2, fromStrings.Length);
        Assert.Single(fromIds);
        Assert.Equal(2, fromIdArrays.Length);
        foreach (var vector in new[] { fromStrings[0], fromIds[0], fromIdArrays[0], fromIdArrays[1] })
        {
            Assert.True(Vectors.MaxDifference(fromString[0], vector) < 1e-6);
        }
    }

    [Fact]
    public async Task Base64IsTheSameVectorAsLittleEndianFloat32()
    {
        var floats = await EmbedAsync(new { model = Model, input = "encoding check" });
        var (response, body) = await _client.PostJsonAsync("v1/embeddings", new { model = Model, input = "encoding check", encoding_format = "base64" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = Convert.FromBase64String(body.GetProperty("data")[0].GetProperty("embedding").GetString()!);
        var decoded = Enumerable.Range(0, bytes.Length / 4).Select(i => BitConverter.ToSingle(bytes, i * 4)).ToArray();
        Assert.Equal(floats[0], decoded);
    }

    [Fact]
    public async Task DimensionsTruncatesAndRenormalises()
    {
        var full = (await EmbedAsync(new { model = Model, input = "shorter vectors" }))[0];
        var shorter = (await EmbedAsync(new { model = Model, input = "shorter vectors", dimensions = 64 }))[0];
        Assert.Equal(64, shorter.Length);
        Assert.Equal(1.0, Vectors.Norm(shorter), 5);
        var expected = full[..64];
        var norm = Vectors.Norm(expected);
        Assert.True(Vectors.MaxDifference([.. expected.Select(x => (float)(x / norm))], shorter) < 1e-6);
    }

    [Fact]
    public async Task TheOpenAiSdkGetsTheSameVectorsAsAFloatRequest()
    {
        string[] texts = ["The official SDK asks for base64.", "A second input", "and a third"];
        var floats = await EmbedAsync(new { model = Model, input = texts });
        var sdk = new EmbeddingClient(Model, new ApiKeyCredential("sk-local"), new OpenAIClientOptions { Endpoint = new Uri(_fixture.Server.BaseAddress, "v1") });
        OpenAIEmbeddingCollection result = await sdk.GenerateEmbeddingsAsync(texts);
        Assert.Equal(texts.Length, result.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(i, result[i].Index);
            Assert.Equal(floats[i], result[i].ToFloats().ToArray());
        }

        Assert.True(result.Usage.InputTokenCount > texts.Length * 2);
        OpenAIEmbedding shorter = await sdk.GenerateEmbeddingAsync(texts[0], new EmbeddingGenerationOptions { Dimensions = 32 });
        Assert.Equal(32, shorter.ToFloats().Length);
    }

    [Fact]
    public async Task AnAliasServesTheSameModel()
    {
        var (response, body) = await _client.PostJsonAsync("v1/embeddings", new { model = "text-embedding-3-small", input = "alias" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text-embedding-3-small", body.GetProperty("model").GetString());
        Assert.Equal((await EmbedAsync(new { model = Model, input = "alias" }))[0], Vectors.FromResponse(body)[0]);
    }

    [Fact]
    public async Task ModelsListsTheEmbeddingModelWithItsDimensions()
    {
        var body = await (await _client.GetAsync("v1/models")).ReadJsonAsync();
        var card = body.GetProperty("data").EnumerateArray().Single(m => m.GetProperty("id").GetString() == Model);
        Assert.Equal(384, card.GetProperty("dimensions").GetInt32());
        Assert.Equal(256, card.GetProperty("context_window").GetInt32());
        Assert.Equal(["text"], card.GetProperty("input_modalities").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["embedding"], card.GetProperty("output_modalities").EnumerateArray().Select(e => e.GetString()));
        Assert.False(body.GetProperty("data").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "deepseek-chat").TryGetProperty("dimensions", out _));
    }

    private async Task<float[][]> EmbedAsync(object request)
    {
        var (response, body) = await _client.PostJsonAsync("v1/embeddings", request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Vectors.FromResponse(body);
    }
}
