namespace InferenceServer.ModelForge.Tokenizer;

/// <summary>An added token of the forge tokenizer and whether Hugging Face marks it <c>special</c>.</summary>
internal sealed record ForgeSpecialToken(string Content, bool Special)
{
    public const string Bos = "<｜begin▁of▁sentence｜>";
    public const string Eos = "<｜end▁of▁sentence｜>";
    public const string Pad = "<｜▁pad▁｜>";

    /// <summary>One of DeepSeek's tool-call / tool-output markers (left out of a Qwen/Hermes-only tokenizer).</summary>
    public bool IsDeepSeekToolMarker => Content.StartsWith("<｜tool▁", StringComparison.Ordinal);

    /// <summary>DeepSeek's added tokens (fullwidth bars U+FF5C, U+2581 word marks) plus Hermes-style tool-call tags.</summary>
    public static IReadOnlyList<ForgeSpecialToken> All { get; } =
    [
        new(Bos, true),
        new(Eos, true),
        new("<｜User｜>", true),
        new("<｜Assistant｜>", true),
        new("<think>", false),
        new("</think>", false),
        new("<｜fim▁begin｜>", true),
        new("<｜fim▁hole｜>", true),
        new("<｜fim▁end｜>", true),
        new("<｜tool▁calls▁begin｜>", true),
        new("<｜tool▁calls▁end｜>", true),
        new("<｜tool▁call▁begin｜>", true),
        new("<｜tool▁call▁end｜>", true),
        new("<｜tool▁sep｜>", true),
        new("<｜tool▁outputs▁begin｜>", true),
        new("<｜tool▁outputs▁end｜>", true),
        new("<｜tool▁output▁begin｜>", true),
        new("<｜tool▁output▁end｜>", true),
        new(Pad, true),
        new("<tool_call>", false),
        new("</tool_call>", false),
    ];
}
