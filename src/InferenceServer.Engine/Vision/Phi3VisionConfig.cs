using System.Text.Json;
using InferenceServer.Engine.Models;

namespace InferenceServer.Engine.Vision;

/// <summary>The vision and embedding sections of a GenAI <c>type: phi3v</c> genai_config.json, and the text graph's <c>inputs_embeds</c> name.</summary>
internal sealed record Phi3VisionConfig(
    string VisionFile,
    string PixelValues,
    string ImageSizes,
    string ImageFeaturesOut,
    string EmbeddingFile,
    string InputIds,
    string ImageFeaturesIn,
    string InputsEmbedsOut,
    string InputsEmbedsIn,
    int HiddenSize)
{
    public static Phi3VisionConfig Load(string folder)
    {
        var path = Path.Combine(folder, "genai_config.json");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var model = doc.RootElement.GetProperty("model");
            var type = model.GetProperty("type").GetString();
            if (type != "phi3v")
            {
                throw new ModelLoadException($"'{path}' is a '{type}' model, not phi3v.");
            }

            var vision = model.GetProperty("vision");
            var embedding = model.GetProperty("embedding");
            var decoder = model.GetProperty("decoder");
            return new Phi3VisionConfig(
                vision.GetProperty("filename").GetString()!,
                Name(vision, "inputs", "pixel_values"),
                Name(vision, "inputs", "image_sizes"),
                Name(vision, "outputs", "image_features"),
                embedding.GetProperty("filename").GetString()!,
                Name(embedding, "inputs", "input_ids"),
                Name(embedding, "inputs", "image_features"),
                Name(embedding, "outputs", "inputs_embeds"),
                Name(decoder, "inputs", "inputs_embeds"),
                decoder.GetProperty("hidden_size").GetInt32());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            throw new ModelLoadException($"'{path}' is not a valid phi3v genai_config.json: {e.Message}", e);
        }
    }

    private static string Name(JsonElement section, string group, string name) =>
        section.TryGetProperty(group, out var g) && g.TryGetProperty(name, out var v) && v.GetString() is { } s ? s : name;
}
