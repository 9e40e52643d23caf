using System.Globalization;
using Google.Protobuf;
using InferenceServer.ModelForge.Diffusion;
using InferenceServer.ModelForge.Tokenizer;
using Onnx;

namespace InferenceServer.ModelForge.Video;

/// <summary>
/// Writes the forge's tiny text-to-video pipeline in the layout optimum-onnx exports for Wan 2.1 T2V
/// (<c>model_index.json</c>, <c>text_encoder/</c>, <c>tokenizer/</c>, <c>transformer/</c>, <c>vae_decoder/</c>,
/// <c>scheduler/</c>), and for I2V diffusers' WanImageToVideoPipeline parts (<c>image_encoder/</c>,
/// <c>image_processor/</c>, <c>vae_encoder/</c>). Deterministic bytes. Its videos are moving textures, not pictures: it exists to run the real
/// pipeline code fast.
/// </summary>
public static class ForgeVideoWriter
{
    /// <summary>Wan 2.1's own scheduler config (UniPC over flow sigmas, flow_shift 3).</summary>
    private const string UniPCConfig = """
        {
          "_class_name": "UniPCMultistepScheduler",
          "beta_end": 0.02,
          "beta_schedule": "linear",
          "beta_start": 0.0001,
          "disable_corrector": [],
          "dynamic_thresholding_ratio": 0.995,
          "final_sigmas_type": "zero",
          "flow_shift": 3.0,
          "lower_order_final": true,
          "num_train_timesteps": 1000,
          "predict_x0": true,
          "prediction_type": "flow_prediction",
          "rescale_betas_zero_snr": false,
          "sample_max_value": 1.0,
          "solver_order": 2,
          "solver_p": null,
          "solver_type": "bh2",
          "steps_offset": 0,
          "thresholding": false,
          "timestep_spacing": "linspace",
          "trained_betas": null,
          "use_beta_sigmas": false,
          "use_exponential_sigmas": false,
          "use_flow_sigmas": true,
          "use_karras_sigmas": false
        }
        """;

    private const string EulerConfig = """{"_class_name": "FlowMatchEulerDiscreteScheduler", "num_train_timesteps": 1000, "shift": 3.0, "use_dynamic_shifting": false}""";

    /// <summary>
    /// Writes the pipeline; <paramref name="euler"/> gives it a FlowMatchEuler scheduler config instead of Wan's UniPC,
    /// <paramref name="imageToVideo"/> the Wan 2.1 I2V parts (image_encoder/, image_processor/, vae_encoder/ and a
    /// transformer conditioned on them), <paramref name="benchHidden"/> a heavier T2V transformer (the benchmark's).
    /// </summary>
    public static void Write(string folder, bool euler = false, bool imageToVideo = false, int benchHidden = 0)
    {
        Directory.CreateDirectory(folder);
        int vocabSize = ForgeUnigramTokenizerWriter.Write(Path.Combine(folder, "tokenizer"));
        var weights = new ForgeWeights(WanForgeSpec.Seed);
        WriteModel(folder, "text_encoder", WanTextEncoderGraph.Build(vocabSize, weights),
            $$"""{"_class_name": "UMT5EncoderModel", "d_model": {{WanForgeSpec.TextDim}}, "vocab_size": {{vocabSize}}}""");
        if (imageToVideo)
        {
            WriteImageParts(folder, weights);
        }

        WriteModel(folder, "transformer", imageToVideo ? WanTransformerGraph.BuildImageToVideo(weights) : WanTransformerGraph.Build(weights, benchHidden),
            $$"""{"_class_name": "WanTransformer3DModel", "in_channels": {{(imageToVideo ? 36 : 16)}}, "out_channels": 16, "text_dim": {{WanForgeSpec.TextDim}}, "image_dim": {{(imageToVideo ? WanForgeSpec.ImageDim.ToString(CultureInfo.InvariantCulture) : "null")}}, "patch_size": [1, 2, 2]}""");
        var mean = string.Join(", ", Enumerable.Range(0, 16).Select(c => (0.05 * Math.Sin(c)).ToString("0.0###", CultureInfo.InvariantCulture)));
        var std = string.Join(", ", Enumerable.Range(0, 16).Select(c => (0.8 + (0.02 * c)).ToString("0.0###", CultureInfo.InvariantCulture)));
        WriteModel(folder, "vae_decoder", WanVaeDecoderGraph.Build(),
            $$"""{"_class_name": "AutoencoderKLWan", "z_dim": 16, "base_dim": 96, "temperal_downsample": [false, true, true], "latents_mean": [{{mean}}], "latents_std": [{{std}}]}""");
        Directory.CreateDirectory(Path.Combine(folder, "scheduler"));
        File.WriteAllText(Path.Combine(folder, "scheduler", "scheduler_config.json"), euler ? EulerConfig : UniPCConfig);
        string schedulerClass = euler ? "FlowMatchEulerDiscreteScheduler" : "UniPCMultistepScheduler";
        string imageParts = imageToVideo
            ? """

              "image_encoder": ["optimum", "ORTImageEncoder"],
              "image_processor": ["transformers", "CLIPImageProcessor"],
              "vae_encoder": ["optimum", "ORTVaeEncoder"],
            """
            : string.Empty;
        File.WriteAllText(Path.Combine(folder, "model_index.json"),
            $$"""
            {
              "_class_name": "{{(imageToVideo ? "ORTWanImageToVideoPipeline" : "ORTWanPipeline")}}",
              "_diffusers_version": "0.33.0",
              "_name_or_path": "InferenceServer.ModelForge/{{(imageToVideo ? "forge-video-i2v" : "forge-video")}}",{{imageParts}}
              "scheduler": ["diffusers", "{{schedulerClass}}"],
              "text_encoder": ["optimum", "ORTTextEncoder"],
              "tokenizer": ["transformers", "T5TokenizerFast"],
              "transformer": ["optimum", "ORTTransformer"],
              "vae_decoder": ["optimum", "ORTVaeDecoder"]
            }
            """);
    }

    private static void WriteImageParts(string folder, ForgeWeights weights)
    {
        WriteModel(folder, "image_encoder", WanImageEncoderGraph.Build(weights),
            $$"""{"_class_name": "CLIPVisionModel", "hidden_size": {{WanForgeSpec.ImageDim}}, "image_size": 224, "patch_size": 32}""");
        Directory.CreateDirectory(Path.Combine(folder, "image_processor"));
        File.WriteAllText(Path.Combine(folder, "image_processor", "preprocessor_config.json"),
            """
            {
              "crop_size": {"height": 224, "width": 224},
              "do_center_crop": true,
              "do_normalize": true,
              "do_resize": true,
              "image_mean": [0.48145466, 0.4578275, 0.40821073],
              "image_processor_type": "CLIPImageProcessor",
              "image_std": [0.26862954, 0.26130258, 0.27577711],
              "resample": 3,
              "rescale_factor": 0.00392156862745098,
              "size": {"shortest_edge": 224}
            }
            """);
        WriteModel(folder, "vae_encoder", WanVaeEncoderGraph.Build(),
            """{"_class_name": "AutoencoderKLWan", "z_dim": 16, "base_dim": 96, "temperal_downsample": [false, true, true]}""");
    }

    private static void WriteModel(string folder, string part, ModelProto model, string config)
    {
        var dir = Path.Combine(folder, part);
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "model.onnx"), model.ToByteArray());
        File.WriteAllText(Path.Combine(dir, "config.json"), config);
    }
}
