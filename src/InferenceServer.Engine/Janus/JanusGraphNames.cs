namespace InferenceServer.Engine.Janus;

/// <summary>The input and output names of <c>prepare_inputs_embeds.onnx</c> in onnx-community's Janus-Pro export.</summary>
internal static class JanusGraphNames
{
    public const string InputIds = "input_ids";

    public const string PixelValues = "pixel_values";

    public const string ImagesSeqMask = "images_seq_mask";

    public const string ImagesEmbMask = "images_emb_mask";

    public const string InputsEmbeds = "inputs_embeds";

    public static readonly string[] Inputs = [InputIds, PixelValues, ImagesSeqMask, ImagesEmbMask];

    public static readonly string[] Outputs = [InputsEmbeds];
}
