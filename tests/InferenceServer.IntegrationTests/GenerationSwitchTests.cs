using System.Net;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// <c>Images:Enabled=false</c> and <c>Videos:Enabled=false</c> take the image and video models off a server that
/// serves only text (the forge demo pipelines load otherwise), and a switch that is not a boolean stops the start
/// with the key and the value named, not a stack trace.
/// </summary>
public sealed class GenerationSwitchTests
{
    [Fact]
    public async Task With_images_and_videos_off_models_lists_neither_and_their_routes_say_the_model_does_not_exist()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Models:0:Id"] = "deepseek-chat",
            ["Models:0:Path"] = DemoModels.EnsureScripted(TestServer.ModelCache),
            ["Images:Enabled"] = "false",
            ["Videos:Enabled"] = "false",
        });

        var models = await server.Client.GetJsonAsync("v1/models");
        var ids = models.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Equal(["deepseek-chat"], ids);

        var (image, imageError) = await server.Client.PostJsonAsync("v1/images/generations", new { model = "forge-diffusion", prompt = "a cat", size = "64x64" });
        Assert.Equal(HttpStatusCode.BadRequest, image.StatusCode);
        Assert.Equal("model_not_found", imageError.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("forge-diffusion", imageError.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        var (video, videoError) = await server.Client.PostJsonAsync("v1/videos", new { model = "forge-video", prompt = "waves" });
        Assert.Equal(HttpStatusCode.BadRequest, video.StatusCode);
        Assert.Equal("model_not_found", videoError.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("forge-video", videoError.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        var (_, unnamed) = await server.Client.PostJsonAsync("v1/videos", new { prompt = "waves" });
        Assert.Equal("No video model is loaded.", unnamed.GetProperty("error").GetProperty("message").GetString());

        // Text is served as ever.
        var (chat, _) = await server.Client.PostJsonAsync("v1/chat/completions", new { model = "deepseek-chat", messages = new[] { new { role = "user", content = "hi" } }, max_tokens = 1 });
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
    }

    [Theory]
    [InlineData("--Images:Enabled=yes", "InferenceServer cannot start: Failed to convert configuration value 'yes' at 'Images:Enabled' to type 'System.Boolean'.")]
    [InlineData("--Runtime:HugePages=sometimes", "InferenceServer cannot start: Failed to convert configuration value 'sometimes' at 'Runtime:HugePages' to type 'System.Boolean'.")]
    public async Task A_setting_that_does_not_convert_stops_the_start_naming_key_and_value_without_a_stack_trace(string setting, string sentence)
    {
        var (exit, output) = await FailedStart.RunAsync(setting);

        Assert.Equal(1, exit);
        Assert.Contains(sentence, output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain(" ERR] ", output, StringComparison.Ordinal);
    }
}
