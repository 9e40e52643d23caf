using InferenceServer.ModelForge.Decoder;

namespace InferenceServer.Tests.ModelForge;

/// <summary>The scripted fixture model written once per test class, with fused rotary and with position_ids.</summary>
public sealed class ScriptedModelFolders : IDisposable
{
    private readonly TempModelFolder _fused = new();
    private readonly TempModelFolder _positionIds = new();

    public ScriptedModelFolders()
    {
        DecoderWeights weights = ScriptedDecoderWeights.Create(ScriptFixture.Spec, ScriptFixture.Table);
        DecoderModelWriter.Write(_fused.Path, ScriptFixture.Spec, weights);
        DecoderModelWriter.Write(_positionIds.Path, ScriptFixture.Spec with { WithPositionIds = true }, weights);
    }

    public string Fused => _fused.Path;

    public string PositionIds => _positionIds.Path;

    public void Dispose()
    {
        _fused.Dispose();
        _positionIds.Dispose();
    }
}
