using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Models;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

[Collection(DemoServerCollection.Name)]
public sealed class DisconnectTests
{
    private readonly TestServer _server;

    public DisconnectTests(DemoServerFixture fixture) => _server = fixture.Server;

    [Fact]
    public async Task AClientThatLeavesMidStreamStopsItsGeneration()
    {
        _server.Service<ModelRegistry>().TryResolve("deepseek-chat", out var served);
        var ended = new TaskCompletionSource<GenerationReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnEnded(GenerationReport r) => ended.TrySetResult(r);
        served.Model.GenerationEnded += OnEnded;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "chat/completions")
            {
                Content = Http.Json(new { model = "deepseek-chat", messages = new[] { new { role = "user", content = "forever" } }, stream = true, max_tokens = 3500 }),
            };
            // A client that really goes away: no draining of the rest of the response for connection reuse.
            using var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = _server.BaseAddress };
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var stream = await response.Content.ReadAsStreamAsync();
            using var reader = new StreamReader(stream);
            var seen = 0;
            while (seen < 5 && await reader.ReadLineAsync() is { } line)
            {
                if (line.Contains("tick", StringComparison.Ordinal) || line.Contains("tock", StringComparison.Ordinal))
                {
                    seen++;
                }
            }

            reader.Dispose();
            response.Dispose();
            client.Dispose();
            var report = await ended.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(report.Reason == FinishReason.Cancelled, $"ended with {report.Reason} after {report.CompletionTokens} tokens in {report.Duration}");
            Assert.True(report.CompletionTokens < 3500, $"generation went on to {report.CompletionTokens} tokens");

            // Nothing more is computed for it: the model's token counter stands still while no request runs.
            var after = served.Model.GeneratedTokens;
            var (_, body) = await _server.Client.PostJsonAsync("chat/completions",
                new { model = "forge-random", messages = new[] { new { role = "user", content = "x" } }, max_tokens = 1 });
            Assert.Equal(after, served.Model.GeneratedTokens);
        }
        finally
        {
            served.Model.GenerationEnded -= OnEnded;
        }
    }
}
