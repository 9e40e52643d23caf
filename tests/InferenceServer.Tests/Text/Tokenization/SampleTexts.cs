namespace InferenceServer.Tests.Text.Tokenization;

/// <summary>Texts that exercise the corners of byte-level BPE pre-tokenization and decoding.</summary>
internal static class SampleTexts
{
    public static readonly string[] Plain =
    [
        "Hello scripted model!",
        "hello world",
        "The quick brown fox jumps over the lazy dog.",
        "Punctuation: a,b;c... (parens) [brackets] {braces} \"quotes\" 'single' -- dash!?",
        "Digits 12345 and 3.14159 and 1,000,000 and 007",
        "line one\nline two\n\n\nline five\r\nwindows\ttab",
        "runs   of    spaces     here  ",
        "   leading and trailing   ",
        "don't I'm we'll they've she'd IT'S YOU'RE",
        "你好，世界！这是一个测试。",
        "日本語のテキストとカタカナ",
        "emoji 😀👍🏽 family 👨‍👩‍👧 flag 🇩🇪",
        "😀abc a😀b 😀😀",
        "combining e\u0301 n\u0303 a\u030A",
        "Ünïcödé façade naïve Ǆ ǅ",
        "Ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３",
        "math ∑∫√∞ ≤ ≥ ≠",
        "code: for (int i = 0; i < n; i++) { x += y; }",
        "    indented\n        more",
        " ",
        "\n",
        "a",
        "",
    ];
}
