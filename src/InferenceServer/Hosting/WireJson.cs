using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace InferenceServer.Hosting;

/// <summary>
/// The one set of JSON options for every body the server reads and writes: the controllers' input and output
/// formatters, the error writer, SSE chunks and Anthropic's events. snake_case names, nulls left out unless a property
/// says otherwise, and relaxed escaping, so <c>'</c>, <c>&lt;</c> or <c>é</c> come out as themselves (as DeepSeek
/// writes them), not as <c>\u0027</c>.
/// </summary>
internal static class WireJson
{
    /// <summary>MVC's options object around <see cref="Options"/>, registered as <c>IOptions&lt;JsonOptions&gt;</c>.</summary>
    public static JsonOptions Mvc { get; } = Create();

    public static JsonSerializerOptions Options => Mvc.JsonSerializerOptions;

    private static JsonOptions Create()
    {
        var mvc = new JsonOptions();
        var json = mvc.JsonSerializerOptions;
        json.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        json.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        json.NumberHandling = JsonNumberHandling.Strict;
        json.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        json.MakeReadOnly(populateMissingResolver: true);
        return mvc;
    }
}
