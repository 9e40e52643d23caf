using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge.Demo;

namespace InferenceServer.IntegrationTests.Fuzz;

/// <summary>After the hostile requests, the server still answers normal ones right: the demo's scripted reply, an image, a vector.</summary>
public static class StillServing
{
    public static async Task AssertChatAsync(Uri server)
    {
        var response = await RawHttpClient.SendAsync(server,
            RequestBytes.Json("chat/completions", "{\"model\":\"deepseek-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"), FuzzSettings.HangCap);
        Assert.Equal(200, response.Status);
        var message = JsonDocument.Parse(response.Body).RootElement.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal(ForgeScripts.DefaultAnswer, message.GetProperty("content").GetString());
    }

    public static async Task AssertAnthropicAsync(Uri server)
    {
        var response = await RawHttpClient.SendAsync(server,
            RequestBytes.Json("anthropic/v1/messages", "{\"model\":\"deepseek-chat\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"), FuzzSettings.HangCap);
        Assert.Equal(200, response.Status);
        var content = JsonDocument.Parse(response.Body).RootElement.GetProperty("content");
        Assert.Equal(ForgeScripts.DefaultAnswer, content[content.GetArrayLength() - 1].GetProperty("text").GetString());
    }

    public static async Task AssertEmbeddingAsync(Uri server)
    {
        var response = await RawHttpClient.SendAsync(server,
            RequestBytes.Json("v1/embeddings", $"{{\"model\":\"{EmbeddingServerFixture.Model}\",\"input\":[\"hello\",\"world\"]}}"), FuzzSettings.HangCap);
        Assert.Equal(200, response.Status);
        var data = JsonDocument.Parse(response.Body).RootElement.GetProperty("data");
        Assert.Equal(2, data.GetArrayLength());
        Assert.Equal(384, data[1].GetProperty("embedding").GetArrayLength());
    }

    public static async Task AssertImageAsync(Uri server)
    {
        var response = await RawHttpClient.SendAsync(server,
            RequestBytes.Json("v1/images/generations", "{\"prompt\":\"a red cat\",\"size\":\"64x64\",\"steps\":1,\"seed\":1}"), FuzzSettings.HangCap);
        Assert.Equal(200, response.Status);
        var png = Convert.FromBase64String(JsonDocument.Parse(response.Body).RootElement.GetProperty("data")[0].GetProperty("b64_json").GetString()!);
        using var bitmap = TestImages.Decode(png, out _);
        Assert.Equal(64, bitmap.Width);
    }
}
