namespace InferenceServer.ModelForge;

/// <summary>Graph variants of the random-weight model, each a shape real exports have.</summary>
public enum RandomVariant
{
    /// <summary>Rotary fused into GroupQueryAttention; no <c>position_ids</c> input (the CPU builder's default).</summary>
    FusedRotary,

    /// <summary>Separate RotaryEmbedding nodes fed by a <c>position_ids</c> input.</summary>
    PositionIds,

    /// <summary>Linear layers as int4 <c>MatMulNBits</c>.</summary>
    Int4,

    /// <summary>Optimum's attention: present is past concatenated with the new positions (no GroupQueryAttention).</summary>
    ConcatKv,
}
