using System.Net;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge;
using InferenceServer.ModelForge.Diffusion;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// The README's SD-Turbo configuration (id, alias, one default step, no guidance, 512×512 only) on a forge folder with
/// the optimum export's int64 timestep: the settings a user copies are read and enforced as documented.
/// </summary>
public sealed class ConfiguredImageModelTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["ImageModels:0:Id"] = "sd-turbo",
            ["ImageModels:0:Path"] = DiffusionModels.EnsureForge(TestServer.ModelCache, new ForgeDiffusionSpec(Int64Timestep: true)),
            ["ImageModels:0:Aliases:0"] = "dall-e-2",
            ["ImageModels:0:DefaultSteps"] = "1",
            ["ImageModels:0:MaxSteps"] = "4",
            ["ImageModels:0:DefaultGuidanceScale"] = "0",
            ["ImageModels:0:Sizes:0"] = "512x512",
        });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task TheAliasGetsTheDefaultsAndTheLimitsHold()
    {
        var client = _server.Client;
        var (response, viaAlias) = await client.PostJsonAsync("v1/images/generations", new { model = "dall-e-2", prompt = "a lighthouse", seed = 3 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("512x512", viaAlias.GetProperty("size").GetString());
        using var bitmap = TestImages.Decode(ImageBytes(viaAlias), out _);
        Assert.Equal((512, 512), (bitmap.Width, bitmap.Height));

        // The defaults are one step without guidance: spelling them out gives the same bytes, changing them does not.
        var (_, spelledOut) = await client.PostJsonAsync("v1/images/generations", new { model = "sd-turbo", prompt = "a lighthouse", seed = 3, steps = 1, guidance_scale = 0 });
        var (_, twoSteps) = await client.PostJsonAsync("v1/images/generations", new { model = "sd-turbo", prompt = "a lighthouse", seed = 3, steps = 2, guidance_scale = 0 });
        Assert.Equal(ImageBytes(viaAlias), ImageBytes(spelledOut));
        Assert.NotEqual(ImageBytes(viaAlias), ImageBytes(twoSteps));

        var (tooMany, stepsError) = await client.PostJsonAsync("v1/images/generations", new { prompt = "a lighthouse", steps = 5 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMany.StatusCode);
        Assert.Equal("steps", stepsError.GetProperty("error").GetProperty("param").GetString());

        var (otherSize, sizeError) = await client.PostJsonAsync("v1/images/generations", new { prompt = "a lighthouse", size = "256x256" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherSize.StatusCode);
        Assert.Equal("size", sizeError.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task TheConfiguredSizesReplaceTheDefaultAndTheFirstIsAuto()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["ImageModels:0:Id"] = "small",
            ["ImageModels:0:Path"] = DiffusionModels.EnsureForge(TestServer.ModelCache),
            ["ImageModels:0:DefaultSteps"] = "1",
            ["ImageModels:0:Sizes:0"] = "128x128",
            ["ImageModels:0:Sizes:1"] = "64x64",
        });

        var (_, auto) = await server.Client.PostJsonAsync("v1/images/generations", new { prompt = "a lighthouse", size = "auto" });
        var (notListed, _) = await server.Client.PostJsonAsync("v1/images/generations", new { prompt = "a lighthouse", size = "512x512" });

        Assert.Equal("128x128", auto.GetProperty("size").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notListed.StatusCode);
    }

    private static byte[] ImageBytes(JsonElement body) =>
        Convert.FromBase64String(body.GetProperty("data")[0].GetProperty("b64_json").GetString()!);
}
