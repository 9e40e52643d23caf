using InferenceServer.Engine.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Janus;

/// <summary>
/// The token input of Janus's image generation, as transformers.js's <c>MultiModalityCausalLM</c> switches it: the
/// prompt's text ids go through <c>prepare_inputs_embeds</c>, and once drawing has begun each run's ids are image
/// tokens that <c>gen_img_embeds</c> turns into <c>inputs_embeds</c>. <see cref="Drawing"/> says which.
/// </summary>
internal sealed class JanusGenerationInput : TokenInput
{
    public const string ImageIds = "image_ids";

    private static readonly string[] Inputs = [ImageIds];
    private static readonly string[] Outputs = [JanusGraphNames.InputsEmbeds];
    private readonly JanusEmbeddingInput _text;
    private readonly InferenceSession _images;

    /// <param name="text">The prompt's input (this input disposes it).</param>
    /// <param name="images">The <c>gen_img_embeds</c> session (owned from here on).</param>
    public JanusGenerationInput(JanusEmbeddingInput text, InferenceSession images)
    {
        _text = text;
        _images = images;
    }

    /// <summary>False while the prompt runs, true for the image tokens after it.</summary>
    public bool Drawing { get; set; }

    public override string Name => JanusGraphNames.InputsEmbeds;

    public override bool BindsOnce => false;

    public override IDisposable? Bind(OrtIoBinding binding, OrtValue ids, ReadOnlyMemory<float> features, RunOptions? run)
    {
        if (!Drawing)
        {
            return _text.Bind(binding, ids, features, run);
        }

        var results = _images.Run(run, Inputs, [ids], Outputs);
        binding.BindInput(Name, results[0]);
        return results;
    }

    public override void Dispose()
    {
        _text.Dispose();
        _images.Dispose();
    }
}
