using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge;
using InferenceServer.ModelForge.Demo;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// <c>kill -9</c> while the server is writing (the real server as a child process, killed once enough requests were
/// answered, others still in flight), then a restart on the same folders: what was answered is there, whole, and
/// nothing torn is read back.
/// </summary>
public sealed class KillMidWriteTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "inferenceserver-kill-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task EveryUploadAnsweredBeforeTheKillIsThereByteForByteAndNothingHalfWrittenIs()
    {
        var folder = Path.Combine(_root, "files");
        Directory.CreateDirectory(folder);
        var setting = $"--Files:Directory={folder}";
        var uploads = Enumerable.Range(0, 32).Select(i => Uploads.PaddedPng(i % 4 == 0 ? 6 * 1024 * 1024 : 64 * 1024, i)).ToArray();
        var answered = new ConcurrentDictionary<string, string>(); // id → filename
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var server = await ServerProcess.StartAsync(setting);
        await using (server)
        {
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };

            // Three uploads that stop half-way and hold: the server has their temp files open when it dies.
            var held = new TaskCompletionSource();
            var started = TempFilesCreated(folder, 3);
            var halfWritten = Enumerable.Range(0, 3).Select(i => SendAsync(http, HeldForm(uploads[i], $"held-{i}.png", held.Task))).ToList();
            await started;

            var sends = uploads.Skip(3).Select(async (bytes, i) =>
            {
                var (status, body) = await SendAsync(http, Form(bytes, $"upload-{i + 3}.png"));
                if (status == HttpStatusCode.OK)
                {
                    answered[body.GetProperty("id").GetString()!] = body.GetProperty("filename").GetString()!;
                    if (answered.Count >= 8)
                    {
                        enough.TrySetResult();
                    }
                }
            }).ToList();

            await enough.Task;
            await server.KillAsync();
            held.SetResult(); // the rest of the held bodies now meets a dead connection
            await Task.WhenAll(sends.Concat(halfWritten));
            Assert.NotEmpty(Directory.EnumerateFiles(folder, ".upload-*"));
        }

        var byName = uploads.Select((bytes, i) => (Name: i < 3 ? $"held-{i}.png" : $"upload-{i}.png", Sha: SHA256.HashData(bytes)))
            .ToDictionary(u => u.Name, u => u.Sha);
        await using var restarted = await ServerProcess.StartAsync(setting);
        using var client = new HttpClient { BaseAddress = restarted.BaseAddress };
        var listed = (await client.GetJsonAsync("files")).GetProperty("data").EnumerateArray()
            .ToDictionary(f => f.GetProperty("id").GetString()!, f => f.GetProperty("filename").GetString()!);

        // Every answered upload is listed; anything else listed is an upload that was committed whole as the kill came.
        Assert.All(answered, a => Assert.Equal(a.Value, listed.GetValueOrDefault(a.Key)));
        Assert.DoesNotContain(listed.Values, n => n.StartsWith("held-", StringComparison.Ordinal));
        foreach (var (id, name) in listed)
        {
            Assert.Equal(byName[name], SHA256.HashData(await client.GetByteArrayAsync($"files/{id}/content")));
        }

        var left = Directory.EnumerateFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(listed.Keys.SelectMany(id => new[] { id + ".bin", id + ".json" }).Order(StringComparer.Ordinal), left);
        AssertStartedCleanly(restarted);
    }

    [Fact]
    public async Task AnImageStoreKilledMidWriteDropsTheOldRunsImagesAndServesUrlsAgain()
    {
        var folder = Path.Combine(_root, "images");
        var setting = $"--Images:StoreDirectory={folder}";
        await KillAfterAsync(setting, 4, 12, i => ("v1/images/generations", Image(i)));

        Assert.NotEmpty(Directory.EnumerateFiles(folder));
        await using var restarted = await ServerProcess.StartAsync(setting);
        using var client = new HttpClient { BaseAddress = restarted.BaseAddress };
        var (response, body) = await client.PostJsonAsync("v1/images/generations", Image(99));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var url = body.GetProperty("data")[0].GetProperty("url").GetString()!;
        var png = await client.GetByteArrayAsync(url);
        Assert.Equal(Uploads.Png[..8], png[..8]);

        // The old run's images and partial files are gone (their URLs died with it): only the new image is there.
        Assert.Equal([url[(url.LastIndexOf('/') + 1)..]], Directory.EnumerateFiles(folder).Select(Path.GetFileName));
        AssertStartedCleanly(restarted);
    }

    [Fact]
    public async Task APrefixCacheKilledMidWriteLoadsNoTornBlockAndAnswersTheSame()
    {
        var folder = Path.Combine(_root, "prefix");
        string[] settings =
        [
            "--Models:0:Id=deepseek-chat",
            $"--Models:0:Path={DemoModels.EnsureScripted(TestServer.ModelCache)}",
            "--Models:0:Thinking=disabled",
            $"--Models:0:PrefixCacheDirectory={folder}",
        ];
        await KillAfterAsync(settings, 6, 24, i => ("v1/chat/completions", Prompt(i)));

        await using var restarted = await ServerProcess.StartAsync(settings);
        Assert.DoesNotContain(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories), f => f.EndsWith(".tmp", StringComparison.Ordinal));
        using var client = new HttpClient { BaseAddress = restarted.BaseAddress };
        for (var i = 0; i < 24; i++)
        {
            var (response, body) = await client.PostJsonAsync("v1/chat/completions", Prompt(i));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(ForgeScripts.DefaultAnswer, body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        }

        AssertStartedCleanly(restarted);
    }

    /// <summary>Sends <paramref name="count"/> requests at once and kills the server when <paramref name="answers"/> of them got a 200.</summary>
    private static async Task KillAfterAsync(string[] settings, int answers, int count, Func<int, (string Path, object Body)> request)
    {
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var done = 0;
        await using var server = await ServerProcess.StartAsync(settings);
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        var sends = Enumerable.Range(0, count).Select(async i =>
        {
            var (path, body) = request(i);
            try
            {
                using var response = await http.PostAsync(path, JsonContent(body));
                if (response.StatusCode == HttpStatusCode.OK && Interlocked.Increment(ref done) >= answers)
                {
                    enough.TrySetResult();
                }
            }
            catch (HttpRequestException)
            {
                // Cut off by the kill.
            }
        }).ToList();

        await enough.Task;
        await server.KillAsync();
        await Task.WhenAll(sends);
    }

    private static Task KillAfterAsync(string setting, int answers, int count, Func<int, (string Path, object Body)> request) =>
        KillAfterAsync([setting], answers, count, request);

    private static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    private static object Image(int seed) =>
        new { model = ImageServerFixture.Model, prompt = "a lighthouse at night", size = "256x256", steps = 2, seed, response_format = "url" };

    private static object Prompt(int n) => new
    {
        model = "deepseek-chat",
        messages = new[]
        {
            new { role = "system", content = string.Join(' ', Enumerable.Range(0, 14).Select(i => $"fact{i} of document {n}")) },
            new { role = "user", content = "Hi" },
        },
    };

    private static MultipartFormDataContent Form(byte[] bytes, string name)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return new MultipartFormDataContent { { new StringContent("user_data"), "purpose" }, { file, "file", name } };
    }

    private static MultipartFormDataContent HeldForm(byte[] bytes, string name, Task release)
    {
        var half = bytes.Length / 2;
        var file = new HeldContent(bytes[..half], bytes[half..], release);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return new MultipartFormDataContent { { new StringContent("user_data"), "purpose" }, { file, "file", name } };
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient http, HttpContent content)
    {
        try
        {
            using var response = await http.PostAsync("v1/files", content);
            return (response.StatusCode, await response.ReadJsonAsync());
        }
        catch (HttpRequestException)
        {
            return (0, default); // cut off by the kill
        }
    }

    /// <summary>Completes once the store has opened <paramref name="count"/> upload temp files (seen through inotify, not by polling).</summary>
    private static Task TempFilesCreated(string folder, int count)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var created = 0;
        var watcher = new FileSystemWatcher(folder, ".upload-*");
        watcher.Created += (_, _) =>
        {
            if (Interlocked.Increment(ref created) >= count)
            {
                seen.TrySetResult();
            }
        };
        watcher.EnableRaisingEvents = true;
        return seen.Task.WaitAsync(TimeSpan.FromMinutes(2)).ContinueWith(t =>
        {
            watcher.Dispose();
            t.GetAwaiter().GetResult();
        }, TaskScheduler.Default);
    }

    /// <summary>No error in the restarted server's log up to the moment it listened.</summary>
    private static void AssertStartedCleanly(ServerProcess server) =>
        Assert.DoesNotContain(server.Output, line => line.Contains("\"@l\":\"Error\"", StringComparison.Ordinal) || line.Contains("\"@l\":\"Fatal\"", StringComparison.Ordinal));
}
