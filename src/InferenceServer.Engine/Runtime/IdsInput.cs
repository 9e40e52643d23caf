using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Runtime;

/// <summary>A text model's token input: the ids themselves, as <c>input_ids</c>.</summary>
internal sealed class IdsInput(string name) : TokenInput
{
    public override string Name => name;

    public override bool BindsOnce => true;

    public override IDisposable? Bind(OrtIoBinding binding, OrtValue ids, ReadOnlyMemory<float> features, RunOptions? run)
    {
        binding.BindInput(name, ids);
        return null;
    }
}
