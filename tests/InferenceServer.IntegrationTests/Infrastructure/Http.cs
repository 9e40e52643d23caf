using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace InferenceServer.IntegrationTests.Infrastructure;

public static class Http
{
    public static StringContent Json(string body) => new(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    public static StringContent Json(object body) => Json(JsonSerializer.Serialize(body));

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    public static async Task<(HttpResponseMessage Response, JsonElement Body)> PostJsonAsync(this HttpClient client, string path, object body)
    {
        var response = await client.PostAsync(path, Json(body));
        return (response, await response.ReadJsonAsync());
    }
}
