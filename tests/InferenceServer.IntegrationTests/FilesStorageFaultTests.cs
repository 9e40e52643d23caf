using System.ClientModel;
using System.Net;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge.Demo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenAI;
using OpenAI.Files;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// The Files folder fills up or turns read-only under a running server (a real tmpfs, really full, really remounted):
/// uploads and deletes get a 507 envelope, nothing half-written is left or listed, and stored files, chat and the
/// expiry sweep go on.
/// </summary>
public sealed class FilesStorageFaultTests
{
    private static readonly object Chat = new { model = "deepseek-chat", messages = new[] { new { role = "user", content = "Hi" } } };

    [SkippableFact]
    public async Task AFullDiskRefusesTheUploadWith507AndLeavesNoPartOfItBehind()
    {
        Skip.IfNot(ScratchMount.Available, "mounting a tmpfs needs root");
        using var disk = ScratchMount.Create(kibibytes: 1024);
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Files:Directory"] = disk.Path });

        var stored = new Dictionary<string, byte[]>();
        JsonElement refusal = default;
        var status = HttpStatusCode.OK;
        for (var i = 0; i < 50 && status == HttpStatusCode.OK; i++)
        {
            var bytes = Uploads.PaddedPng(200 * 1024, i);
            var (response, body) = await server.Client.UploadPngAsync(bytes);
            status = response.StatusCode;
            if (status == HttpStatusCode.OK)
            {
                stored[body.GetProperty("id").GetString()!] = bytes;
            }
            else
            {
                refusal = body;
            }
        }

        Assert.NotEmpty(stored);
        Assert.Equal(HttpStatusCode.InsufficientStorage, status);
        AssertEnvelope(refusal, "storage_full", "disk is full");
        await AssertStoredFilesAreServedAsync(server, disk.Path, stored);

        // Deleting needs no room, and gives the room back.
        var first = stored.Keys.First();
        Assert.Equal(HttpStatusCode.OK, (await server.Client.DeleteAsync($"files/{first}")).StatusCode);
        stored.Remove(first);
        var (again, againBody) = await server.Client.UploadPngAsync();
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        stored[againBody.GetProperty("id").GetString()!] = Uploads.Png;
        await AssertStoredFilesAreServedAsync(server, disk.Path, stored);
    }

    [SkippableFact]
    public async Task AReadOnlyDiskRefusesUploadsAndDeletesWith507AndKeepsServingItsFiles()
    {
        Skip.IfNot(ScratchMount.Available, "mounting a tmpfs needs root");
        using var disk = ScratchMount.Create(kibibytes: 4096);
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Files:Directory"] = disk.Path });
        var stored = new Dictionary<string, byte[]>();
        for (var i = 0; i < 2; i++)
        {
            var bytes = Uploads.PaddedPng(100 * 1024, i);
            stored[(await server.Client.UploadPngAsync(bytes)).Body.GetProperty("id").GetString()!] = bytes;
        }

        disk.MakeReadOnly();
        var (upload, uploadBody) = await server.Client.UploadPngAsync(Uploads.PaddedPng(100 * 1024, 9));
        Assert.Equal(HttpStatusCode.InsufficientStorage, upload.StatusCode);
        AssertEnvelope(uploadBody, "storage_unavailable", "cannot be written");

        var first = stored.Keys.First();
        var delete = await server.Client.DeleteAsync($"files/{first}");
        Assert.Equal(HttpStatusCode.InsufficientStorage, delete.StatusCode);
        AssertEnvelope(await delete.ReadJsonAsync(), "storage_unavailable", "delete a file");
        await AssertStoredFilesAreServedAsync(server, disk.Path, stored);

        // What the OpenAI .NET SDK reports (it does not retry a 507; the Python and Node SDKs retry it twice).
#pragma warning disable OPENAI001 // user_data is marked experimental in the SDK.
        var sdk = new OpenAIFileClient(new ApiKeyCredential("sk-local"), new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "v1") });
        var refused = await Assert.ThrowsAsync<ClientResultException>(() => sdk.UploadFileAsync(BinaryData.FromBytes(Uploads.Png), "cat.png", FileUploadPurpose.UserData));
#pragma warning restore OPENAI001
        Assert.Equal(507, refused.Status);

        disk.MakeWritable();
        Assert.Equal(HttpStatusCode.OK, (await server.Client.DeleteAsync($"files/{first}")).StatusCode);
        stored.Remove(first);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.UploadPngAsync()).Response.StatusCode);
    }

    [SkippableFact]
    public async Task TheExpirySweepOnAReadOnlyDiskKeepsTheExpiredFileHiddenAndDeletesItOnceItCan()
    {
        Skip.IfNot(ScratchMount.Available, "mounting a tmpfs needs root");
        using var disk = ScratchMount.Create(kibibytes: 1024);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 9, 1, 12, 0, 0, TimeSpan.Zero));
        await using var server = await TestServer.StartAsync(
            new Dictionary<string, string?> { ["Files:Directory"] = disk.Path, ["Files:SweepIntervalSeconds"] = "600" },
            services => services.AddSingleton<TimeProvider>(clock));
        var expiring = (await server.Client.UploadAsync(("purpose", "user_data"), ("expires_after[anchor]", "created_at"),
            ("expires_after[seconds]", "3600"), ("file", Uploads.Png))).Body.GetProperty("id").GetString()!;
        var kept = (await server.Client.UploadPngAsync()).Body.GetProperty("id").GetString()!;

        disk.MakeReadOnly();
        clock.Advance(TimeSpan.FromHours(2)); // a dozen sweeps, every one refused by the disk: none may throw
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync($"files/{expiring}")).StatusCode);
        Assert.True(File.Exists(Path.Combine(disk.Path, expiring + ".json")));
        await AssertStoredFilesAreServedAsync(server, disk.Path, new() { [kept] = Uploads.Png }, expectedOnDisk: 2);

        disk.MakeWritable();
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.False(File.Exists(Path.Combine(disk.Path, expiring + ".json")));
        Assert.False(File.Exists(Path.Combine(disk.Path, expiring + ".bin")));
        Assert.True(File.Exists(Path.Combine(disk.Path, kept + ".bin")));
    }

    [SkippableFact]
    public async Task AServerStartedOnAReadOnlyDiskServesItsFilesAndWarnsOnceAboutSweepsThatCannotDelete()
    {
        Skip.IfNot(ScratchMount.Available, "mounting a tmpfs needs root");
        using var disk = ScratchMount.Create(kibibytes: 1024);
        var expired = "file-api-" + new string('e', 32);
        var live = "file-api-" + new string('f', 32);
        foreach (var (id, expires) in new[] { (expired, "2"), (live, "null") })
        {
            await File.WriteAllBytesAsync(Path.Combine(disk.Path, id + ".bin"), Uploads.Png);
            await File.WriteAllTextAsync(Path.Combine(disk.Path, id + ".json"),
                $$"""{"id":"{{id}}","owner":"","filename":"{{id}}.png","purpose":"user_data","bytes":{{Uploads.Png.Length}},"createdAtMs":1,"expiresAtMs":{{expires}},"contentType":"image/png"}""");
        }

        disk.MakeReadOnly();
        await using var server = await ServerProcess.StartAsync($"--Files:Directory={disk.Path}", "--Files:SweepIntervalSeconds=0.05");
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        Assert.Equal([live], (await client.GetJsonAsync("files")).GetProperty("data").EnumerateArray().Select(f => f.GetProperty("id").GetString()));
        Assert.Equal(Uploads.Png, await client.GetByteArrayAsync($"files/{live}/content"));
        var (chat, _) = await client.PostJsonAsync("v1/chat/completions", Chat);
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);

        disk.MakeWritable();
        await server.WaitForLogAsync(e => Message(e).Contains("can delete expired files", StringComparison.Ordinal), TimeSpan.FromMinutes(1));
        Assert.Single(server.Output, line => line.Contains("the sweep cannot delete expired files", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(disk.Path, expired + ".json")));
        Assert.True(File.Exists(Path.Combine(disk.Path, live + ".json")));
    }

    private static string Message(JsonElement entry) => entry.TryGetProperty("@m", out var m) ? m.GetString() ?? string.Empty : string.Empty;

    private static void AssertEnvelope(JsonElement body, string code, string says)
    {
        var error = body.GetProperty("error");
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.Contains(says, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Exactly the stored files are listed and on disk (no temp or half-written file), byte for byte, and chat goes on.</summary>
    private static async Task AssertStoredFilesAreServedAsync(TestServer server, string directory, Dictionary<string, byte[]> stored, int? expectedOnDisk = null)
    {
        var listed = (await server.Client.GetJsonAsync("files")).GetProperty("data").EnumerateArray().Select(f => f.GetProperty("id").GetString()!);
        Assert.Equal(stored.Keys.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        foreach (var (id, bytes) in stored)
        {
            Assert.Equal(bytes.Length, (await server.Client.GetJsonAsync($"files/{id}")).GetProperty("bytes").GetInt32());
            Assert.Equal(bytes, await server.Client.GetByteArrayAsync($"files/{id}/content"));
        }

        var names = Directory.EnumerateFiles(directory).Select(Path.GetFileName).ToList();
        Assert.All(names, n => Assert.Matches("^file-api-[0-9a-f]{32}\\.(bin|json)$", n));
        Assert.Equal(2 * (expectedOnDisk ?? stored.Count), names.Count);

        var (chat, reply) = await server.Client.PostJsonAsync("v1/chat/completions", Chat);
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        Assert.Equal(ForgeScripts.DefaultAnswer, reply.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }
}
