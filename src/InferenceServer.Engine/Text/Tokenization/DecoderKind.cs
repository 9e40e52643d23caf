namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>The kinds of decoder step applied to each token.</summary>
internal enum DecoderKind
{
    Replace,
    ByteFallback,
    ByteLevel,
    Metaspace,
    Strip,
}
