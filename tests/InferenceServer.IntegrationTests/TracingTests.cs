using System.Net;
using System.Text;
using System.Threading.Channels;
using InferenceServer.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace InferenceServer.IntegrationTests;

/// <summary>OpenTelemetry traces go out by OTLP only when an endpoint is configured, with the HTTP span and the engine's spans.</summary>
public sealed class TracingTests
{
    [Fact]
    public async Task WithAnOtlpEndpointTheRequestAndEngineSpansAreExported()
    {
        var received = Channel.CreateUnbounded<byte[]>();
        var collector = WebApplication.CreateSlimBuilder();
        collector.WebHost.UseUrls("http://127.0.0.1:0");
        await using var receiver = collector.Build();
        receiver.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            received.Writer.TryWrite(body.ToArray());
            return Results.Ok();
        });
        await receiver.StartAsync();
        var endpoint = receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Telemetry:OtlpEndpoint"] = endpoint,
            ["Telemetry:OtlpProtocol"] = "http/protobuf",
        });
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("health/ready")).StatusCode);
        var (response, _) = await server.Client.PostJsonAsync("v1/chat/completions",
            new { model = "deepseek-chat", messages = new[] { new { role = "user", content = "Hi" } }, max_tokens = 2 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(server.Service<TracerProvider>().ForceFlush(30_000));

        var names = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!(names.ToString().Contains("inference.generate") && names.ToString().Contains("inference.queue_wait") && names.ToString().Contains("chat/completions")))
        {
            names.Append(Encoding.UTF8.GetString(await received.Reader.ReadAsync(timeout.Token)));
        }

        Assert.DoesNotContain("health", names.ToString());
    }

    [Fact]
    public async Task WithoutAnEndpointNoTracerIsRegistered()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>());
        Assert.Null(server.App.Services.GetService<TracerProvider>());
    }
}
