using System.Text.Json;

namespace InferenceServer.IntegrationTests.Infrastructure;

/// <summary>Request bodies the feature tests share: a one-message chat with extra fields, and tool definitions.</summary>
public static class ChatBodies
{
    public static Dictionary<string, object?> ChatBody(string model, string text, object? extra = null) =>
        With(new Dictionary<string, object?> { ["model"] = model, ["messages"] = new[] { new { role = "user", content = text } } }, extra);

    public static Dictionary<string, object?> With(Dictionary<string, object?> body, object? extra)
    {
        if (extra is not null)
        {
            foreach (var p in JsonSerializer.SerializeToElement(extra).EnumerateObject())
            {
                body[p.Name] = p.Value;
            }
        }

        return body;
    }

    public static object Function(string name, object? parameters = null, bool? strict = null) => new
    {
        type = "function",
        function = new Dictionary<string, object?>
        {
            ["name"] = name,
            ["description"] = $"Calls {name}.",
            ["parameters"] = parameters ?? new { type = "object", properties = new { location = new { type = "string" } }, required = new[] { "location" } },
            ["strict"] = strict,
        },
    };

    public static object[] WeatherAndTime => [Function("get_weather"), Function("get_time")];
}
