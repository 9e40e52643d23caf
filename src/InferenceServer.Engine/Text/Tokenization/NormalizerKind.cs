namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>The kinds of normalizer step this tokenizer implements.</summary>
internal enum NormalizerKind
{
    Unicode,
    Prepend,
    Append,
    Lowercase,
    Replace,
}
