using System.Text.Json;
using System.Text.Json.Nodes;
using InferenceServer.ModelForge.Decoder;

namespace InferenceServer.ModelForge.Vision;

/// <summary>
/// Writes the two configuration files of a GenAI phi3v folder: <c>genai_config.json</c> (the decoder section of the
/// text graph, which reads <c>inputs_embeds</c>, plus <c>embedding</c> and <c>vision</c> sections, <c>type: phi3v</c>)
/// and <c>processor_config.json</c> (onnxruntime-extensions' image pipeline with the Phi-3 HD transform).
/// </summary>
internal static class Phi3VisionConfigWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static byte[] GenAiConfig(DecoderSpec spec)
    {
        var root = JsonNode.Parse(GenAiConfigWriter.Create(spec, Phi3VisionModels.TextFileName))!;
        var model = root["model"]!.AsObject();
        var decoder = model["decoder"]!.AsObject();
        var inputs = decoder["inputs"]!.AsObject();
        var renamed = new JsonObject { ["inputs_embeds"] = "inputs_embeds" };
        foreach (var (name, value) in inputs)
        {
            if (name != "input_ids")
            {
                renamed[name] = value!.DeepClone();
            }
        }

        decoder["inputs"] = renamed;
        model["embedding"] = new JsonObject
        {
            ["filename"] = Phi3VisionModels.EmbeddingFileName,
            ["inputs"] = new JsonObject { ["input_ids"] = "input_ids", ["image_features"] = "image_features" },
            ["outputs"] = new JsonObject { ["inputs_embeds"] = "inputs_embeds" },
        };
        model["vision"] = new JsonObject
        {
            ["filename"] = Phi3VisionModels.VisionFileName,
            ["inputs"] = new JsonObject { ["pixel_values"] = "pixel_values", ["image_sizes"] = "image_sizes" },
            ["outputs"] = new JsonObject { ["image_features"] = "image_features" },
        };
        model["type"] = "phi3v";
        return JsonSerializer.SerializeToUtf8Bytes(root, Indented);
    }

    public static byte[] ProcessorConfig()
    {
        var transforms = new JsonArray
        {
            Operation("decode_image", "DecodeImage", new JsonObject { ["color_space"] = "BGR" }),
            Operation("convert_to_rgb", "ConvertRGB", null),
            Operation("phi3_image_transform", "Phi3ImageTransform", new JsonObject
            {
                ["num_crops"] = Phi3VisionSpec.MaxCrops,
                ["num_img_tokens"] = Phi3VisionSpec.TokensPerCrop,
            }),
        };
        var root = new JsonObject { ["processor"] = new JsonObject { ["name"] = "image_processing", ["transforms"] = transforms } };
        return JsonSerializer.SerializeToUtf8Bytes(root, Indented);
    }

    private static JsonObject Operation(string name, string type, JsonObject? attrs)
    {
        var operation = new JsonObject { ["name"] = name, ["domain"] = "com.microsoft.extensions", ["type"] = type };
        if (attrs is not null)
        {
            operation["attrs"] = attrs;
        }

        return new JsonObject { ["operation"] = operation };
    }
}
