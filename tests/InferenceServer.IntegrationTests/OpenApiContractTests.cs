using System.Net;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

/// <summary><c>openapi.yaml</c> at the repository root is the contract: it must equal what the server serves.</summary>
[Collection(DemoServerCollection.Name)]
public sealed class OpenApiContractTests
{
    private readonly HttpClient _client;

    public OpenApiContractTests(DemoServerFixture fixture) => _client = fixture.Server.Client;

    [Fact]
    public async Task TheCommittedOpenApiFileEqualsTheServedDocument()
    {
        var served = (await _client.GetStringAsync("openapi/v1.yaml")).ReplaceLineEndings("\n").TrimEnd() + "\n";
        var path = Path.Combine(RepositoryRoot(), "openapi.yaml");
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(path, served);
        }

        var committed = File.Exists(path) ? (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n") : string.Empty;
        Assert.True(committed == served,
            "openapi.yaml differs from the served /openapi/v1.yaml. If the API change is intended, run: " +
            "UPDATE_OPENAPI=1 dotnet test --filter OpenApiContractTests, and commit openapi.yaml.");
    }

    [Fact]
    public async Task SwaggerUiIsServedAtDocs()
    {
        var response = await _client.GetAsync("docs/index.html");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "InferenceServer.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("InferenceServer.sln not found above the test folder.");
    }
}
