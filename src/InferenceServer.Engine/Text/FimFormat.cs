using InferenceServer.Engine.Text.Tokenization;

namespace InferenceServer.Engine.Text;

/// <summary>
/// How a model writes fill-in-the-middle prompts, from the special tokens its vocabulary has: DeepSeek's
/// <c>&lt;｜fim▁begin｜&gt;prefix&lt;｜fim▁hole｜&gt;suffix&lt;｜fim▁end｜&gt;</c> or Qwen/StarCoder's
/// <c>&lt;|fim_prefix|&gt;prefix&lt;|fim_suffix|&gt;suffix&lt;|fim_middle|&gt;</c>.
/// </summary>
public sealed record FimFormat(string Begin, string Hole, string End)
{
    private static readonly FimFormat[] Known =
    [
        new("<｜fim▁begin｜>", "<｜fim▁hole｜>", "<｜fim▁end｜>"),
        new("<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>"),
    ];

    /// <summary>The format whose three tokens the vocabulary has, or null when the model cannot fill in the middle.</summary>
    public static FimFormat? For(BpeTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        foreach (var f in Known)
        {
            if (tokenizer.TokenToId(f.Begin) is not null && tokenizer.TokenToId(f.Hole) is not null && tokenizer.TokenToId(f.End) is not null)
            {
                return f;
            }
        }

        return null;
    }

    public string Prompt(string prefix, string suffix) => Begin + prefix + Hole + suffix + End;
}
