using System.Net;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests.Videos;

/// <summary>A configured video model serves the sizes it lists, and only those (the first is the default).</summary>
public sealed class ConfiguredVideoModelTests
{
    [Fact]
    public async Task ConfiguredSizesReplaceWansDefaultsInModelsAndInTheRequestCheck()
    {
        await using var videos = await VideoServer.StartAsync(new Dictionary<string, string?>
        {
            ["VideoModels:0:Id"] = "wan-small",
            ["VideoModels:0:Path"] = ModelForge.VideoModels.EnsureForge(TestServer.ModelCache),
            ["VideoModels:0:Sizes:0"] = "128x128",
            ["VideoModels:0:Sizes:1"] = "320x192",
            ["VideoModels:0:DefaultSteps"] = "1",
            ["VideoModels:0:DefaultSeconds"] = "1",
        });

        var card = await videos.Client.GetJsonAsync("v1/models/wan-small");
        Assert.Equal(["128x128", "320x192"], card.GetProperty("sizes").EnumerateArray().Select(s => s.GetString()));

        var (refused, error) = await videos.Client.PostJsonAsync("v1/videos", new { model = "wan-small", prompt = "waves", size = "832x480" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("Invalid size '832x480': the model 'wan-small' makes 128x128, 320x192.", error.GetProperty("error").GetProperty("message").GetString());

        var (created, job) = await videos.Client.PostJsonAsync("v1/videos", new { model = "wan-small", prompt = "waves" });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal("128x128", job.GetProperty("size").GetString());
    }
}
