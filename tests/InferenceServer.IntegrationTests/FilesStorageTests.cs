using System.Net;
using InferenceServer.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace InferenceServer.IntegrationTests;

/// <summary>Files on disk: they survive a restart, stay within the storage budget, and expire (time from a fake clock).</summary>
public sealed class FilesStorageTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "inferenceserver-files-store-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task FilesSurviveARestartAndDamagedOrHalfWrittenLeftoversAreSkipped()
    {
        var settings = new Dictionary<string, string?> { ["Files:Directory"] = _directory };
        string before;
        string id;
        await using (var server = await TestServer.StartAsync(settings))
        {
            await server.Client.UploadPngAsync();
            id = (await server.Client.UploadAsync(("purpose", "user_data"), ("expires_after[anchor]", "created_at"),
                ("expires_after[seconds]", "86400"), ("file", Uploads.Png))).Body.GetProperty("id").GetString()!;
            before = (await server.Client.GetJsonAsync("files")).GetRawText();
        }

        var damaged = "file-api-" + new string('a', 32);
        await File.WriteAllTextAsync(Path.Combine(_directory, damaged + ".json"), "{\"id\":\"" + damaged + "\",\"own");
        await File.WriteAllBytesAsync(Path.Combine(_directory, damaged + ".bin"), Uploads.Png);
        var orphan = Path.Combine(_directory, "file-api-" + new string('b', 32) + ".bin");
        await File.WriteAllBytesAsync(orphan, Uploads.Png);
        var halfUpload = Path.Combine(_directory, ".upload-cut-short.tmp");
        await File.WriteAllBytesAsync(halfUpload, Uploads.Png[..10]);

        await using var restarted = await TestServer.StartAsync(settings);
        Assert.Equal(before, (await restarted.Client.GetJsonAsync("files")).GetRawText());
        Assert.Equal(Uploads.Png, await restarted.Client.GetByteArrayAsync($"files/{id}/content"));
        var skipped = await restarted.Client.GetAsync($"files/{damaged}");
        Assert.Equal(HttpStatusCode.NotFound, skipped.StatusCode);
        Assert.False(File.Exists(orphan), "bytes without metadata are an upload that never finished");
        Assert.False(File.Exists(halfUpload));
        Assert.True(File.Exists(Path.Combine(_directory, damaged + ".bin")), "a damaged sidecar's file is left for the operator, not deleted");
    }

    [Fact]
    public async Task AnUploadOverTheBudgetIsRefusedAndLeavesTheStoredFilesIntact()
    {
        var png = Uploads.Png.Length;
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Files:Directory"] = _directory,
            ["Files:MaxFileBytes"] = (png * 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Files:MaxTotalBytes"] = ((png * 2) + (png / 2)).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var first = (await server.Client.UploadPngAsync()).Body.GetProperty("id").GetString()!;
        var second = (await server.Client.UploadPngAsync()).Body.GetProperty("id").GetString()!;

        var (full, fullBody) = await server.Client.UploadPngAsync();
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, full.StatusCode);
        Assert.Equal("file_storage_full", fullBody.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("Files:MaxTotalBytes", fullBody.GetProperty("error").GetProperty("message").GetString());

        var big = new byte[(png * 2) + 1];
        Uploads.Png.CopyTo(big, 0);
        var (tooBig, tooBigBody) = await server.Client.UploadPngAsync(big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        Assert.Equal("file_too_large", tooBigBody.GetProperty("error").GetProperty("code").GetString());

        var list = (await server.Client.GetJsonAsync("files")).GetProperty("data").EnumerateArray().Select(f => f.GetProperty("id").GetString());
        Assert.Equal([first, second], list);
        Assert.Equal(Uploads.Png, await server.Client.GetByteArrayAsync($"files/{first}/content"));
        Assert.Equal(Uploads.Png, await server.Client.GetByteArrayAsync($"files/{second}/content"));
        Assert.Equal(4, Directory.GetFiles(_directory).Length);

        Assert.Equal(HttpStatusCode.OK, (await server.Client.DeleteAsync($"files/{first}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.UploadPngAsync()).Response.StatusCode);
    }

    [Fact]
    public async Task AnExpiredFileIs404AtOnceAndTheSweepDeletesItFromDisk()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 9, 1, 12, 0, 0, TimeSpan.Zero));
        await using var server = await TestServer.StartAsync(
            new Dictionary<string, string?> { ["Files:Directory"] = _directory, ["Files:SweepIntervalSeconds"] = "86400" },
            services => services.AddSingleton<TimeProvider>(clock));
        var (_, expiring) = await server.Client.UploadAsync(("purpose", "user_data"), ("expires_after[anchor]", "created_at"),
            ("expires_after[seconds]", "3600"), ("file", Uploads.Png));
        var id = expiring.GetProperty("id").GetString()!;
        Assert.Equal(new DateTimeOffset(2026, 9, 1, 13, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), expiring.GetProperty("expires_at").GetInt64());
        var kept = (await server.Client.UploadPngAsync()).Body.GetProperty("id").GetString();

        clock.Advance(TimeSpan.FromSeconds(3599));
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync($"files/{id}")).StatusCode);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync($"files/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync($"files/{id}/content")).StatusCode);
        Assert.Equal([kept], (await server.Client.GetJsonAsync("files")).GetProperty("data").EnumerateArray().Select(f => f.GetProperty("id").GetString()));
        Assert.True(File.Exists(Path.Combine(_directory, id + ".bin")), "the sweep has not run yet");

        clock.Advance(TimeSpan.FromDays(1));
        Assert.False(File.Exists(Path.Combine(_directory, id + ".bin")));
        Assert.False(File.Exists(Path.Combine(_directory, id + ".json")));
        Assert.True(File.Exists(Path.Combine(_directory, kept + ".bin")));
    }

    [Theory]
    [InlineData("Files:MaxFileBytes", "0", "Files:MaxFileBytes", "1 or more")]
    [InlineData("Files:MaxFileBytes", "104857600", "Limits:MaxFilesBodyBytes", "raise Limits:MaxFilesBodyBytes or lower Files:MaxFileBytes")]
    [InlineData("Files:MaxTotalBytes", "1000", "Files:MaxTotalBytes", "at least Files:MaxFileBytes")]
    [InlineData("Files:SweepIntervalSeconds", "0", "Files:SweepIntervalSeconds", "more than 0")]
    public async Task AWrongFilesSettingStopsTheStartNamingTheKey(string key, string value, string named, string hint)
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            TestServer.StartAsync(new Dictionary<string, string?> { ["Files:Directory"] = _directory, [key] = value }));
        Assert.Contains(named, e.Message);
        Assert.Contains(hint, e.Message);
    }
}
