using System.Net;
using InferenceServer.Engine.Models;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge.Embeddings;
using Microsoft.Extensions.Options;

namespace InferenceServer.IntegrationTests;

/// <summary>Embedding models at start: the built-in MiniLM, folder settings honoured, bad folders and keys named.</summary>
public sealed class EmbeddingStartupTests
{
    [Fact]
    public async Task WithNoModelConfiguredMiniLmIsServedNextToTheDemo()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>());
        var (response, body) = await server.Client.PostJsonAsync("v1/embeddings", new { model = "all-MiniLM-L6-v2", input = "built in" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(384, Vectors.FromResponse(body)[0].Length);
        var models = await (await server.Client.GetAsync("models")).ReadJsonAsync();
        Assert.Equal(["all-MiniLM-L6-v2", "deepseek-chat", "deepseek-flash", "deepseek-reasoner", "deepseek-v4-flash", "deepseek-v4-flash-vision-exp", "deepseek-v4-pro", "forge-diffusion", "forge-video", "forge-video-i2v", "janus-pro-forge", "stories-260k"],
            models.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task WithApiKeysConfiguredEmbeddingsNeedOne()
    {
        var settings = Embedding("e", MiniLmPackage.Ensure(TestServer.ModelCache));
        settings["Auth:Keys:0"] = "sk-embed-51c2";
        await using var server = await TestServer.StartAsync(settings);
        var (refused, body) = await server.Client.PostJsonAsync("v1/embeddings", new { model = "e", input = "key?" });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("invalid_api_key", body.GetProperty("error").GetProperty("code").GetString());
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/embeddings") { Content = Http.Json(new { model = "e", input = "key!" }) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "sk-embed-51c2");
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task AFolderWithoutNormalizeModuleGivesUnnormalisedMeanVectors()
    {
        var folder = FolderLikeMiniLm(modules: """[{"idx":1,"name":"1","path":"1_Pooling","type":"sentence_transformers.models.Pooling"}]""");
        await using var raw = await TestServer.StartAsync(Embedding("raw", folder));
        await using var normal = await TestServer.StartAsync(Embedding("normal", MiniLmPackage.Ensure(TestServer.ModelCache)));
        var (_, rawBody) = await raw.Client.PostJsonAsync("v1/embeddings", new { model = "raw", input = "pooling settings" });
        var (_, normalBody) = await normal.Client.PostJsonAsync("v1/embeddings", new { model = "normal", input = "pooling settings" });
        var rawVector = Vectors.FromResponse(rawBody)[0];
        Assert.True(Math.Abs(Vectors.Norm(rawVector) - 1) > 0.05, $"norm {Vectors.Norm(rawVector)}");
        Assert.Equal(1.0, Vectors.Cosine(rawVector, Vectors.FromResponse(normalBody)[0]), 5);
    }

    [Fact]
    public async Task AFolderWithoutModelOnnxNamesTheFile()
    {
        var folder = Directory.CreateTempSubdirectory("embedding-no-onnx").FullName;
        File.Copy(Path.Combine(MiniLmPackage.Ensure(TestServer.ModelCache), "vocab.txt"), Path.Combine(folder, "vocab.txt"));
        var e = await Assert.ThrowsAsync<ModelLoadException>(() => TestServer.StartAsync(Embedding("e", folder)));
        Assert.Contains(Path.Combine(folder, "model.onnx"), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownKindNamesTheKeyAndTheKinds()
    {
        var settings = Embedding("e", MiniLmPackage.Ensure(TestServer.ModelCache));
        settings["Models:0:Kind"] = "image";
        settings["Models:0:BatchSize"] = "0";
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => TestServer.StartAsync(settings));
        Assert.Contains("Models:0:Kind 'image' is not known; use one of: text, embedding.", e.Message, StringComparison.Ordinal);
        Assert.Contains("Models:0:BatchSize", e.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Embedding(string id, string folder) => new()
    {
        ["Models:0:Id"] = id,
        ["Models:0:Path"] = folder,
        ["Models:0:Kind"] = "embedding",
    };

    /// <summary>MiniLM's files (the weights linked, not copied) with another modules.json.</summary>
    private static string FolderLikeMiniLm(string modules)
    {
        var source = MiniLmPackage.Ensure(TestServer.ModelCache);
        var folder = Directory.CreateTempSubdirectory("embedding-settings").FullName;
        File.CreateSymbolicLink(Path.Combine(folder, "model.onnx"), Path.Combine(source, "model.onnx"));
        foreach (var file in new[] { "vocab.txt", "config.json", "tokenizer_config.json", "sentence_bert_config.json" })
        {
            File.Copy(Path.Combine(source, file), Path.Combine(folder, file));
        }

        Directory.CreateDirectory(Path.Combine(folder, "1_Pooling"));
        File.Copy(Path.Combine(source, "1_Pooling", "config.json"), Path.Combine(folder, "1_Pooling", "config.json"));
        File.WriteAllText(Path.Combine(folder, "modules.json"), modules);
        return folder;
    }
}
