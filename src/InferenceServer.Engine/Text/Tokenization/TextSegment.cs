namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>A piece of input text: either an added token (<see cref="TokenId"/> set) or plain text for the model.</summary>
internal readonly record struct TextSegment(string Text, int TokenId, bool AtStart)
{
    public bool IsAddedToken => TokenId >= 0;
}
