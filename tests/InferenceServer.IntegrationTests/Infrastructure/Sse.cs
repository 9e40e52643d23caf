using System.Text.Json;

namespace InferenceServer.IntegrationTests.Infrastructure;

/// <summary>Reads a server-sent-event body into its <c>data:</c> payloads, as a client would.</summary>
public static class Sse
{
    public static async Task<List<string>> ReadDataAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        var events = new List<string>();
        foreach (var block in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.StartsWith("data: ", block);
            events.Add(block["data: ".Length..]);
        }

        return events;
    }

    public static List<JsonElement> Json(IEnumerable<string> data) =>
        data.Where(d => d != "[DONE]").Select(d => JsonDocument.Parse(d).RootElement.Clone()).ToList();
}
