using System.Text.RegularExpressions;

namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>One pre-tokenizer of tokenizer.json (Split, ByteLevel, Digits, Metaspace, Whitespace, ...).</summary>
internal sealed class PreTokenizerStep
{
    private readonly PreTokenizerKind _kind;
    private readonly Regex? _pattern;
    private readonly SplitBehavior _behavior;
    private readonly bool _invert;
    private readonly bool _flag;
    private readonly char _replacement;
    private readonly MetaspacePrepend _prepend;

    private PreTokenizerStep(
        PreTokenizerKind kind,
        Regex? pattern = null,
        SplitBehavior behavior = SplitBehavior.Isolated,
        bool invert = false,
        bool flag = false,
        char replacement = ' ',
        MetaspacePrepend prepend = MetaspacePrepend.Never)
    {
        _kind = kind;
        _pattern = pattern;
        _behavior = behavior;
        _invert = invert;
        _flag = flag;
        _replacement = replacement;
        _prepend = prepend;
    }

    /// <summary>Split on a pattern (also used for Digits, Whitespace, WhitespaceSplit, Punctuation).</summary>
    public static PreTokenizerStep Split(Regex pattern, SplitBehavior behavior, bool invert) =>
        new(PreTokenizerKind.Split, pattern, behavior, invert);

    /// <summary>ByteLevel: optional prefix space, optional GPT-2 regex split, then the bytes→characters map.</summary>
    public static PreTokenizerStep ByteLevel(bool addPrefixSpace, Regex? gpt2Pattern) =>
        new(PreTokenizerKind.ByteLevel, gpt2Pattern, flag: addPrefixSpace);

    /// <summary>Metaspace: spaces become <paramref name="replacement"/>, optional prefix, optional split before it.</summary>
    public static PreTokenizerStep Metaspace(char replacement, MetaspacePrepend prepend, bool split) =>
        new(PreTokenizerKind.Metaspace, replacement: replacement, prepend: prepend, flag: split);

    /// <summary>CharDelimiterSplit: split on one character, dropping it.</summary>
    public static PreTokenizerStep CharSplit(char delimiter) =>
        new(PreTokenizerKind.CharSplit, replacement: delimiter, behavior: SplitBehavior.Removed);

    /// <summary>True when the step maps text to GPT-2's byte alphabet (one character per UTF-8 byte).</summary>
    public bool IsByteLevel => _kind == PreTokenizerKind.ByteLevel;

    /// <summary>True when the step can drop text (a split whose matches are removed), so some characters reach no token.</summary>
    public bool RemovesText => _kind == PreTokenizerKind.CharSplit || (_kind == PreTokenizerKind.Split && _behavior == SplitBehavior.Removed);

    public void Apply(List<PreToken> input, List<PreToken> output)
    {
        foreach (PreToken token in input)
        {
            switch (_kind)
            {
                case PreTokenizerKind.Split:
                    PatternSplitter.Split(token, _pattern!, _behavior, _invert, output);
                    break;
                case PreTokenizerKind.CharSplit:
                    PatternSplitter.SplitOnChar(token, _replacement, _behavior, output);
                    break;
                case PreTokenizerKind.ByteLevel:
                    ApplyByteLevel(token, output);
                    break;
                default:
                    ApplyMetaspace(token, output);
                    break;
            }
        }
    }

    private void ApplyByteLevel(PreToken token, List<PreToken> output)
    {
        PreToken current = token;
        if (_flag && !current.Text.StartsWith(' '))
        {
            current = current with { Text = " " + current.Text };
        }

        if (_pattern is null)
        {
            output.Add(current with { Text = ByteLevelAlphabet.Encode(current.Text) });
            return;
        }

        int first = output.Count;
        PatternSplitter.Split(current, _pattern, SplitBehavior.Isolated, invert: false, output);
        for (int i = first; i < output.Count; i++)
        {
            output[i] = output[i] with { Text = ByteLevelAlphabet.Encode(output[i].Text) };
        }
    }

    private void ApplyMetaspace(PreToken token, List<PreToken> output)
    {
        string text = token.Text.Replace(' ', _replacement);
        bool prepend = _prepend == MetaspacePrepend.Always || (_prepend == MetaspacePrepend.First && token.AtStart);
        if (prepend && !text.StartsWith(_replacement))
        {
            text = _replacement + text;
        }

        var replaced = new PreToken(text, token.AtStart);
        if (_flag)
        {
            PatternSplitter.SplitOnChar(replaced, _replacement, SplitBehavior.MergedWithNext, output);
        }
        else
        {
            output.Add(replaced);
        }
    }
}
