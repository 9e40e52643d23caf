namespace InferenceServer.ModelForge.Decoder;

/// <summary>
/// Where each signal lives in the residual stream of a scripted decoder:
/// <c>[bias | token class (0 = neither, m = trigger m, then reset) | mode (written by attention) | other token | token identity | output]</c>.
/// </summary>
internal sealed class ScriptLayout
{
    private readonly Dictionary<int, int> _identity;
    private readonly Dictionary<int, int> _output;

    public ScriptLayout(DecoderSpec spec, ScriptTable table)
    {
        Modes = table.ModeCount;
        int[] identityTokens = table.Transitions.Select(t => t.CurrentToken).Concat(table.TriggerTokenIds).Distinct().Order().ToArray();
        int[] outputTokens = table.Transitions.Select(t => t.NextToken).Distinct().Order().ToArray();
        IdentityStart = OtherDim + 1;
        OutputStart = IdentityStart + identityTokens.Length;
        Width = OutputStart + outputTokens.Length;
        _identity = identityTokens.Select((token, i) => (token, i)).ToDictionary(p => p.token, p => IdentityStart + p.i);
        _output = outputTokens.Select((token, i) => (token, i)).ToDictionary(p => p.token, p => OutputStart + p.i);
        if (Width > spec.HiddenSize)
        {
            throw new ArgumentException($"Script table needs a hidden size of at least {Width} (has {spec.HiddenSize}).");
        }
    }

    public const int BiasDim = 0;

    public int Modes { get; }

    public int ClassStart => 1;

    /// <summary>The class of reset tokens, after the trigger classes.</summary>
    public int ResetClass => Modes;

    public int ModeStart => ClassStart + Modes + 1;

    public int OtherDim => ModeStart + Modes;

    public int IdentityStart { get; }

    public int OutputStart { get; }

    public int Width { get; }

    public int IdentityDim(int token) => _identity.TryGetValue(token, out int dim) ? dim : OtherDim;

    public int OutputDim(int token) => _output[token];
}
