using System.Text.Json;
using System.Text.Json.Nodes;
using InferenceServer.ModelForge.Decoder;

namespace InferenceServer.ModelForge.Janus;

/// <summary>
/// Writes the configuration files of a Janus-Pro ONNX folder as onnx-community's export carries them:
/// <c>config.json</c> (<c>model_type: multi_modality</c> with a Llama <c>language_config</c>),
/// <c>preprocessor_config.json</c> (the <c>VLMImageProcessor</c>), <c>processor_config.json</c> (the
/// <c>VLChatProcessor</c>'s tags and image token count) and <c>generation_config.json</c>.
/// </summary>
internal static class JanusConfigWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static byte[] Config(DecoderSpec spec) => Serialize(new JsonObject
    {
        ["model_type"] = "multi_modality",
        ["architectures"] = new JsonArray("MultiModalityCausalLM"),
        ["language_config"] = new JsonObject
        {
            ["model_type"] = "llama",
            ["hidden_size"] = spec.HiddenSize,
            ["intermediate_size"] = spec.IntermediateSize,
            ["num_attention_heads"] = spec.NumHeads,
            ["num_key_value_heads"] = spec.NumKvHeads,
            ["num_hidden_layers"] = spec.NumLayers,
            ["vocab_size"] = spec.VocabSize,
            ["max_position_embeddings"] = spec.ContextLength,
            ["rms_norm_eps"] = spec.RmsNormEpsilon,
            ["rope_theta"] = spec.RopeTheta,
            ["torch_dtype"] = "float32",
        },
        ["vision_config"] = new JsonObject { ["cls"] = "CLIPVisionTower", ["params"] = new JsonObject { ["image_size"] = JanusSpec.ImageSize } },
        ["gen_vision_config"] = new JsonObject
        {
            ["cls"] = "VQ-16",
            ["params"] = new JsonObject { ["image_token_size"] = JanusGenerationGraphs.Codebook, ["n_embed"] = 3 },
        },
    });

    public static byte[] PreprocessorConfig() => Serialize(new JsonObject
    {
        ["image_processor_type"] = "VLMImageProcessor",
        ["processor_class"] = "VLChatProcessor",
        ["image_size"] = JanusSpec.ImageSize,
        ["min_size"] = 14,
        ["do_normalize"] = true,
        ["rescale_factor"] = 1.0 / 255,
        ["image_mean"] = new JsonArray(JanusSpec.Mean, JanusSpec.Mean, JanusSpec.Mean),
        ["image_std"] = new JsonArray(JanusSpec.Std, JanusSpec.Std, JanusSpec.Std),
        ["background_color"] = new JsonArray(JanusSpec.Background, JanusSpec.Background, JanusSpec.Background),
    });

    public static byte[] ProcessorConfig() => Serialize(new JsonObject
    {
        ["processor_class"] = "VLChatProcessor",
        ["image_tag"] = JanusSpec.ImageTag,
        ["image_start_tag"] = JanusSpec.ImageStartTag,
        ["image_end_tag"] = JanusSpec.ImageEndTag,
        ["num_image_tokens"] = JanusSpec.ImageTokens,
        ["add_special_token"] = false,
        ["sft_format"] = "deepseek",
    });

    public static byte[] GenerationConfig(DecoderSpec spec) => Serialize(new JsonObject
    {
        ["bos_token_id"] = spec.BosTokenId,
        ["eos_token_id"] = spec.EosTokenIds[0],
        ["pad_token_id"] = spec.PadTokenId,
    });

    private static byte[] Serialize(JsonObject root) => JsonSerializer.SerializeToUtf8Bytes(root, Indented);
}
