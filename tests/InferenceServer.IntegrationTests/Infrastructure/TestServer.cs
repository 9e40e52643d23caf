using InferenceServer.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace InferenceServer.IntegrationTests.Infrastructure;

/// <summary>The real server on real Kestrel (loopback, a free port) with the given configuration.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private TestServer(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
    }

    /// <summary>Shared by every test run on this machine: the forge writes each model once.</summary>
    public static string ModelCache { get; } = Path.Combine(Path.GetTempPath(), "inferenceserver-test-models");

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public T Service<T>()
        where T : notnull => App.Services.GetRequiredService<T>();

    /// <param name="services">Registrations made before the server's own (for example a fake <see cref="TimeProvider"/>).</param>
    public static async Task<TestServer> StartAsync(IDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        var app = ServerApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Server:ModelCacheDirectory"] = ModelCache,
                ["Serilog:MinimumLevel:Default"] = "Warning",

                // Test classes start servers side by side in this one process: collapsing a loading model's weights into
                // huge pages holds the process's memory map in bursts for up to a second, and stalled the HTTP threads
                // of servers already serving (a stream's first chunk arrived after its 4,000 tokens were done).
                // Production loads its models before it serves; HugePagesTests cover the feature.
                ["Runtime:HugePages"] = "false",
            });
            builder.Configuration.AddInMemoryCollection(settings);
            services?.Invoke(builder.Services);
        });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
