using System.Net;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

/// <summary>CORS is off unless origins are configured; a configured origin gets its preflight answered.</summary>
public sealed class CorsTests
{
    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "v1/chat/completions");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }

    [Fact]
    public async Task ByDefaultNoOriginIsAllowed()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>());
        var response = await server.Client.SendAsync(Preflight("https://app.example.com"));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task AConfiguredOriginIsAllowedAndOthersAreNot()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Cors:AllowedOrigins:0"] = "https://app.example.com",
            ["Auth:Keys:0"] = "sk-cors",
        });
        var allowed = await server.Client.SendAsync(Preflight("https://app.example.com"));
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal("https://app.example.com", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());

        var other = await server.Client.SendAsync(Preflight("https://evil.example.net"));
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
