namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>What a Split pre-tokenizer does with the pieces its pattern matches (Hugging Face's SplitDelimiterBehavior).</summary>
internal enum SplitBehavior
{
    Removed,
    Isolated,
    MergedWithPrevious,
    MergedWithNext,
    Contiguous,
}
