namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>The kinds of pre-tokenizer step this tokenizer implements.</summary>
internal enum PreTokenizerKind
{
    Split,
    ByteLevel,
    Metaspace,
    CharSplit,
}
