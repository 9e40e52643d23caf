using System.Net.Http.Json;
using InferenceServer.Engine.Models;
using InferenceServer.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace InferenceServer.Benchmarks.Embeddings;

/// <summary>The real server (Kestrel on loopback) serving one embedding model, and a client that posts to it.</summary>
internal sealed class EmbeddingServerClient : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _client;
    private readonly string _model;

    private EmbeddingServerClient(WebApplication app, HttpClient client, string model)
    {
        _app = app;
        _client = client;
        _model = model;
    }

    public static async Task<EmbeddingServerClient> StartAsync(string cache, ModelOptions model)
    {
        var app = ServerApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Server:ModelCacheDirectory"] = cache,
                ["Serilog:MinimumLevel:Default"] = "Warning",
                ["Models:0:Id"] = model.Id,
                ["Models:0:Path"] = model.Path,
                ["Models:0:Kind"] = "embedding",
                ["Models:0:BatchSize"] = model.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new HttpClient { BaseAddress = new Uri(address.TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(5) };
        return new EmbeddingServerClient(app, client, model.Id);
    }

    public async Task EmbedAsync(string[] texts, string encoding)
    {
        using var response = await _client.PostAsJsonAsync("v1/embeddings", new { model = _model, input = texts, encoding_format = encoding });
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
