using System.Net;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge;
using InferenceServer.ModelForge.Demo;
using SkiaSharp;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// Folders the server writes become full or read-only while it runs (a real tmpfs, really full, really remounted):
/// requests that do not need the folder go on being served, the ones that do get a 507 envelope, and nothing
/// half-written is ever read back.
/// </summary>
public sealed class StorageFaultTests
{
    private static readonly object Chat = new { model = "deepseek-chat", messages = new[] { new { role = "user", content = "Hi" } } };

    [SkippableFact]
    public async Task AFullImageStoreRefusesUrlsWith507WhileBase64AndChatGoOn()
    {
        Skip.IfNot(ScratchMount.Available, "mounting a tmpfs needs root");
        using var disk = ScratchMount.Create(kibibytes: 512);
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Images:StoreDirectory"] = disk.Path });

        var urls = new List<string>();
        JsonElement refusal = default;
        HttpStatusCode status = HttpStatusCode.OK;
        for (int seed = 0; seed < 200 && status == HttpStatusCode.OK; seed++)
        {
            var (response, body) = await server.Client.PostJsonAsync("v1/images/generations", Image("url", seed));
            status = response.StatusCode;
            if (status == HttpStatusCode.OK)
            {
                urls.Add(body.GetProperty("data")[0].GetProperty("url").GetString()!);
            }
            else
            {
                refusal = body;
            }
        }

        Assert.NotEmpty(urls);
        Assert.Equal(HttpStatusCode.InsufficientStorage, status);
        AssertEnvelope(refusal, "storage_full");

        await AssertTheRestIsServedAsync(server, urls);
        Assert.DoesNotContain(Directory.EnumerateFiles(disk.Path), f => f.EndsWith(".partial", StringComparison.Ordinal));
        Assert.Equal(urls.Count, Directory.EnumerateFiles(disk.Path).Count());
    }

    [SkippableFact]
    public async Task AReadOnlyImageStoreRefusesUrlsWith507AndServesTheImagesItHas()
    {
        Skip.IfNot(ScratchMount.Available, "mounting a tmpfs needs root");
        using var disk = ScratchMount.Create(kibibytes: 4096);
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Images:StoreDirectory"] = disk.Path });
        var (_, stored) = await server.Client.PostJsonAsync("v1/images/generations", Image("url", 1));
        var url = stored.GetProperty("data")[0].GetProperty("url").GetString()!;

        disk.MakeReadOnly();
        var (response, body) = await server.Client.PostJsonAsync("v1/images/generations", Image("url", 2));
        Assert.Equal(HttpStatusCode.InsufficientStorage, response.StatusCode);
        AssertEnvelope(body, "storage_unavailable");
        await AssertTheRestIsServedAsync(server, [url]);

        disk.MakeWritable();
        var (again, _) = await server.Client.PostJsonAsync("v1/images/generations", Image("url", 3));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [SkippableFact]
    public async Task APrefixCacheDiskThatFillsOrTurnsReadOnlyCostsOnlyItsBlocks()
    {
        Skip.IfNot(ScratchMount.Available, "mounting a tmpfs needs root");
        using var disk = ScratchMount.Create(kibibytes: 8192);
        var settings = new Dictionary<string, string?>
        {
            ["Models:0:Id"] = "deepseek-chat",
            ["Models:0:Path"] = DemoModels.EnsureScripted(TestServer.ModelCache),
            ["Models:0:Thinking"] = "disabled",
            ["Models:0:PrefixCacheDirectory"] = disk.Path,
        };
        object Prompt(int n) => new
        {
            model = "deepseek-chat",
            messages = new[]
            {
                new { role = "system", content = string.Join(' ', Enumerable.Range(0, 14).Select(i => $"fact{i} of document {n}")) },
                new { role = "user", content = "Hi" },
            },
        };

        await using (var server = await TestServer.StartAsync(settings))
        {
            disk.MakeReadOnly();
            await AssertScriptedAsync(server, Prompt(1));
            disk.MakeWritable();
            var filler = disk.Fill();
            await AssertScriptedAsync(server, Prompt(2));
            File.Delete(filler);
        }

        // Whatever the faults cut short is never loaded: a restarted server on the same folder answers the same.
        await using var restarted = await TestServer.StartAsync(settings);
        await AssertScriptedAsync(restarted, Prompt(1));
        await AssertScriptedAsync(restarted, Prompt(2));
        Assert.DoesNotContain(Directory.EnumerateFiles(disk.Path, "*", SearchOption.AllDirectories), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    private static object Image(string format, int seed) =>
        new { model = ImageServerFixture.Model, prompt = "a lighthouse at night", size = "256x256", steps = 2, seed, response_format = format };

    private static void AssertEnvelope(JsonElement body, string code)
    {
        var error = body.GetProperty("error");
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal("response_format", error.GetProperty("param").GetString());
        Assert.Contains("b64_json", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Base64 images and chat need no folder; every URL already given out still serves a whole image.</summary>
    private static async Task AssertTheRestIsServedAsync(TestServer server, IReadOnlyList<string> urls)
    {
        var (inline, body) = await server.Client.PostJsonAsync("v1/images/generations", Image("b64_json", 99));
        Assert.Equal(HttpStatusCode.OK, inline.StatusCode);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("data")[0].GetProperty("b64_json").GetString()));
        await AssertScriptedAsync(server, Chat);
        foreach (var url in urls)
        {
            var bytes = await server.Client.GetByteArrayAsync(url);
            using var decoded = SKBitmap.Decode(bytes);
            Assert.Equal(256, decoded.Width);
        }
    }

    private static async Task AssertScriptedAsync(TestServer server, object body)
    {
        var (response, reply) = await server.Client.PostJsonAsync("v1/chat/completions", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ForgeScripts.DefaultAnswer, reply.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }
}
