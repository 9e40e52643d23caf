using System.Text;
using System.Text.RegularExpressions;

namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>One normalizer of tokenizer.json (NFC, NFKC, Prepend, Replace, Lowercase, ...).</summary>
internal sealed class NormalizerStep
{
    private readonly NormalizerKind _kind;
    private readonly string _text;
    private readonly string _literal;
    private readonly Regex? _pattern;
    private readonly NormalizationForm _form;

    private NormalizerStep(NormalizerKind kind, string text = "", string literal = "", Regex? pattern = null, NormalizationForm form = NormalizationForm.FormC)
    {
        _kind = kind;
        _text = text;
        _literal = literal;
        _pattern = pattern;
        _form = form;
    }

    public static NormalizerStep Unicode(NormalizationForm form) => new(NormalizerKind.Unicode, form: form);

    public static NormalizerStep Prepend(string prefix) => new(NormalizerKind.Prepend, text: prefix);

    public static NormalizerStep Append(string suffix) => new(NormalizerKind.Append, text: suffix);

    public static NormalizerStep Lowercase() => new(NormalizerKind.Lowercase);

    public static NormalizerStep ReplaceLiteral(string literal, string content) => new(NormalizerKind.Replace, text: content, literal: literal);

    public static NormalizerStep ReplaceRegex(Regex pattern, string content) => new(NormalizerKind.Replace, text: content.Replace("$", "$$", StringComparison.Ordinal), pattern: pattern);

    public string Apply(string input) => _kind switch
    {
        NormalizerKind.Unicode => input.Normalize(_form),
        NormalizerKind.Prepend => input.Length == 0 ? input : _text + input,
        NormalizerKind.Append => input.Length == 0 ? input : input + _text,
        NormalizerKind.Lowercase => input.ToLowerInvariant(),
        NormalizerKind.Replace when _pattern is not null => _pattern.Replace(input, _text),
        NormalizerKind.Replace => _literal.Length == 0 ? input : input.Replace(_literal, _text, StringComparison.Ordinal),
        _ => input,
    };
}
