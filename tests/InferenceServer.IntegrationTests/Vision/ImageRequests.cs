using System.Net;
using InferenceServer.IntegrationTests.Infrastructure;
using SkiaSharp;

namespace InferenceServer.IntegrationTests.Vision;

/// <summary>The three routes that take images, one image source each, and the field each route names for it.</summary>
public static class ImageRequests
{
    public enum Route
    {
        Chat,
        Anthropic,
        Responses,
    }

    /// <summary>What the image part carries: inline bytes (a data: URL / base64 block), a URL, or an uploaded file's id.</summary>
    public sealed record Source(byte[]? Bytes = null, string? Url = null, string? FileId = null, string? Detail = null);

    public static byte[] Png { get; } = TestImages.Solid(40, 30, SKColors.Red);

    public static byte[] Jpeg { get; } = TestImages.Solid(40, 30, SKColors.Green, SKEncodedImageFormat.Jpeg);

    public static byte[] WebP { get; } = TestImages.Solid(40, 30, SKColors.Blue, SKEncodedImageFormat.Webp);

    /// <summary>A 1×1 GIF89a (Skia has no GIF encoder).</summary>
    public static byte[] Gif { get; } = Convert.FromBase64String("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");

    public static string Path(Route route) => route switch
    {
        Route.Chat => "v1/chat/completions",
        Route.Anthropic => "anthropic/v1/messages",
        _ => "v1/responses",
    };

    /// <summary>The demo's vision model (the forge phi3v folder): it names the dominant colour of the picture.</summary>
    public const string VisionModel = "deepseek-v4-flash-vision-exp";

    /// <summary>A user message: a text part, then <paramref name="sources"/> as image parts (the first image is part 1).</summary>
    public static object Body(Route route, params Source[] sources) => Body(route, null, sources);

    /// <summary>As <see cref="Body(Route, Source[])"/>, to <paramref name="model"/> (null: a text model on each route).</summary>
    public static object Body(Route route, string? model, params Source[] sources) => route switch
    {
        Route.Chat => new
        {
            model = model ?? "deepseek-chat",
            messages = new[] { new { role = "user", content = (object[])[new { type = "text", text = "What is this?" }, .. sources.Select(ChatPart)] } },
        },
        Route.Anthropic => new
        {
            model = model ?? "claude-sonnet-4-5",
            max_tokens = 16,
            messages = new[] { new { role = "user", content = (object[])[new { type = "text", text = "What is this?" }, .. sources.Select(AnthropicBlock)] } },
        },
        _ => new
        {
            model = model ?? "deepseek-chat",
            input = new[] { new { role = "user", content = (object[])[new { type = "input_text", text = "What is this?" }, .. sources.Select(ResponsesPart)] } },
        },
    };

    /// <summary>The part's own name on the route (<c>messages[0].content[1]</c>, <c>messages.0.content.1</c>, <c>input[0].content[1]</c>).</summary>
    public static string Part(Route route, int index = 1) => route switch
    {
        Route.Chat => $"messages[0].content[{index}]",
        Route.Anthropic => $"messages.0.content.{index}",
        _ => $"input[0].content[{index}]",
    };

    /// <summary>The field of the part an error about <paramref name="source"/> names.</summary>
    public static string Field(Route route, Source source) => Part(route) + (route, source) switch
    {
        (Route.Chat, { FileId: not null }) => ".image_url.file_id",
        (Route.Chat, _) => ".image_url.url",
        (Route.Anthropic, { FileId: not null }) => ".source.file_id",
        (Route.Anthropic, { Url: not null }) => ".source.url",
        (Route.Anthropic, _) => ".source.data",
        (_, { FileId: not null }) => ".file_id",
        _ => ".image_url",
    };

    public static string DataUrl(byte[] bytes, string declared = "image/png") => $"data:{declared};base64,{Convert.ToBase64String(bytes)}";

    /// <summary>Posts and returns status, the error's message, and its param (null on the Anthropic route, whose envelope has none).</summary>
    public static async Task<(HttpStatusCode Status, string Message, string? Param, string Code)> PostAsync(HttpClient client, Route route, params Source[] sources)
    {
        var (response, body) = await client.PostJsonAsync(Path(route), Body(route, sources));
        var error = body.GetProperty("error");
        return route == Route.Anthropic
            ? (response.StatusCode, error.GetProperty("message").GetString()!, null, error.GetProperty("type").GetString()!)
            : (response.StatusCode, error.GetProperty("message").GetString()!, error.GetProperty("param").GetString(), error.GetProperty("code").GetString()!);
    }

    /// <summary>Posts to <paramref name="model"/> and returns the status and the answer's text (its content, not its reasoning).</summary>
    public static async Task<(HttpStatusCode Status, string Text, System.Text.Json.JsonElement Body)> AskAsync(HttpClient client, Route route, string model, params Source[] sources)
    {
        var (response, body) = await client.PostJsonAsync(Path(route), Body(route, model, sources));
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (response.StatusCode, body.GetRawText(), body);
        }

        var text = route switch
        {
            Route.Chat => body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!,
            Route.Anthropic => string.Concat(body.GetProperty("content").EnumerateArray()
                .Where(b => b.GetProperty("type").GetString() == "text").Select(b => b.GetProperty("text").GetString())),
            _ => string.Concat(body.GetProperty("output").EnumerateArray()
                .Where(o => o.GetProperty("type").GetString() == "message")
                .SelectMany(o => o.GetProperty("content").EnumerateArray()).Select(c => c.GetProperty("text").GetString())),
        };
        return (response.StatusCode, text, body);
    }

    private static object ChatPart(Source s) => new
    {
        type = "image_url",
        image_url = s.FileId is { } id ? (object)new { file_id = id } : new { url = s.Url ?? DataUrl(s.Bytes!), detail = s.Detail },
    };

    private static object AnthropicBlock(Source s) => new
    {
        type = "image",
        source = s.FileId is { } id ? (object)new { type = "file", file_id = id }
            : s.Url is { } url ? new { type = "url", url }
            : new { type = "base64", media_type = "image/png", data = Convert.ToBase64String(s.Bytes!) },
    };

    private static object ResponsesPart(Source s) => s.FileId is { } id
        ? new { type = "input_image", file_id = id }
        : (object)new { type = "input_image", image_url = s.Url ?? DataUrl(s.Bytes!), detail = s.Detail ?? "auto" };
}
