namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>A pre-tokenized piece; <see cref="AtStart"/> when it begins at offset 0 of the original input.</summary>
internal readonly record struct PreToken(string Text, bool AtStart);
