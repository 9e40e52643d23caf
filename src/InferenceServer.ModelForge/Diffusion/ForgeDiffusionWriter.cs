using Google.Protobuf;
using Onnx;

namespace InferenceServer.ModelForge.Diffusion;

/// <summary>
/// Writes the forge's tiny Stable Diffusion pipeline in the diffusers ONNX layout (<c>model_index.json</c>,
/// <c>text_encoder/</c>, <c>unet/</c>, <c>vae_decoder/</c>, <c>vae_encoder/</c>, <c>tokenizer/</c>, <c>scheduler/</c>).
/// Deterministic bytes. Its images are textures, not pictures: it exists to run the real pipeline code fast.
/// </summary>
public static class ForgeDiffusionWriter
{
    public static void Write(string folder, ForgeDiffusionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Directory.CreateDirectory(folder);
        int vocabSize = ClipVocabularyWriter.Write(Path.Combine(folder, "tokenizer"));
        var weights = new ForgeWeights(ForgeDiffusionSpec.Seed);
        WriteModel(folder, "text_encoder", TextEncoderGraph.Build(vocabSize, weights),
            """{"_class_name": "CLIPTextModel", "hidden_size": 32, "max_position_embeddings": 77}""");
        WriteModel(folder, "unet", UnetGraph.Build(spec, weights),
            """{"_class_name": "UNet2DConditionModel", "in_channels": 4, "out_channels": 4, "sample_size": 32, "cross_attention_dim": 32}""");
        WriteModel(folder, "vae_decoder", VaeGraphs.Decoder(),
            """{"_class_name": "AutoencoderKL", "latent_channels": 4, "scaling_factor": 0.18215}""");
        WriteModel(folder, "vae_encoder", VaeGraphs.Encoder(),
            """{"_class_name": "AutoencoderKL", "latent_channels": 4, "scaling_factor": 0.18215}""");
        Directory.CreateDirectory(Path.Combine(folder, "scheduler"));
        File.WriteAllText(Path.Combine(folder, "scheduler", "scheduler_config.json"),
            """{"_class_name": "EulerDiscreteScheduler", "num_train_timesteps": 1000, "beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear", "prediction_type": "epsilon", "timestep_spacing": "trailing", "steps_offset": 1}""");
        File.WriteAllText(Path.Combine(folder, "model_index.json"),
            """
            {
              "_class_name": "OnnxStableDiffusionPipeline",
              "_diffusers_version": "0.30.0",
              "_name_or_path": "InferenceServer.ModelForge/forge-diffusion",
              "requires_safety_checker": false,
              "safety_checker": [null, null],
              "feature_extractor": [null, null],
              "scheduler": ["diffusers", "EulerDiscreteScheduler"],
              "text_encoder": ["diffusers", "OnnxRuntimeModel"],
              "tokenizer": ["transformers", "CLIPTokenizer"],
              "unet": ["diffusers", "OnnxRuntimeModel"],
              "vae_decoder": ["diffusers", "OnnxRuntimeModel"],
              "vae_encoder": ["diffusers", "OnnxRuntimeModel"]
            }
            """);
    }

    private static void WriteModel(string folder, string part, ModelProto model, string config)
    {
        var dir = Path.Combine(folder, part);
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "model.onnx"), model.ToByteArray());
        File.WriteAllText(Path.Combine(dir, "config.json"), config);
    }
}
