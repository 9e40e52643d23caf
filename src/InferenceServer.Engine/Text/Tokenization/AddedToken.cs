namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>An entry of tokenizer.json's <c>added_tokens</c>: matched in the text before the model runs.</summary>
internal sealed record AddedToken(
    int Id,
    string Content,
    bool Special,
    bool LeftStrip,
    bool RightStrip,
    bool SingleWord,
    bool Normalized);
