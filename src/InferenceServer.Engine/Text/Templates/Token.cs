namespace InferenceServer.Engine.Text.Templates;

/// <summary>One lexical token of a template; <see cref="Line"/> is 1-based.</summary>
internal readonly record struct Token(TokenKind Kind, string Value, int Line);
