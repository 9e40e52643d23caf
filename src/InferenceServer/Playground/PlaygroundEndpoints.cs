using Microsoft.Extensions.Options;

namespace InferenceServer.Playground;

/// <summary>
/// <c>GET /</c> and <c>/playground</c>: the page; <c>/playground/{file}</c>: its scripts and styles. Same-origin only,
/// no inline script (the Content-Security-Policy says so), no key needed to load it (its API calls carry the key).
/// </summary>
internal static class PlaygroundEndpoints
{
    public const string Path = "/playground";

    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src blob:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static void Map(WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<PlaygroundOptions>>().Value.Enabled)
        {
            return;
        }

        app.MapGet("/", Page).ExcludeFromDescription();
        app.MapGet(Path, Page).ExcludeFromDescription();
        app.MapGet(Path + "/{file}", (HttpContext context, string file) => Asset(context, file)).ExcludeFromDescription();
    }

    private static IResult Page(HttpContext context) => Asset(context, "index.html");

    private static IResult Asset(HttpContext context, string file)
    {
        if (!PlaygroundAssets.TryGet(file, out var content, out var contentType))
        {
            return Results.NotFound();
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        return Results.Bytes(content, contentType);
    }
}
