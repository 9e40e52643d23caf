using System.Buffers;
using System.Text;

namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>
/// A Hugging Face tokenizer.json BPE tokenizer (byte-level like GPT-2/Qwen2/Llama 3/DeepSeek, or SentencePiece-style
/// with byte fallback like Llama 2/Phi-3). Immutable after <see cref="Load"/> and safe to share between threads.
/// </summary>
public sealed class BpeTokenizer
{
    private readonly BpeModel _model;
    private readonly Dictionary<string, AddedToken> _addedByContent;
    private readonly string?[] _idToToken;
    private readonly bool[] _special;
    private readonly byte[][] _tokenBytes;
    private readonly AddedTokenMatcher _rawMatcher;
    private readonly AddedTokenMatcher _normalizedMatcher;
    private readonly List<NormalizerStep> _normalizers;
    private readonly List<PreTokenizerStep> _preTokenizers;
    private readonly TokenCountBound? _bound;

    internal BpeTokenizer(
        BpeModel model,
        List<AddedToken> addedTokens,
        List<NormalizerStep> normalizers,
        List<PreTokenizerStep> preTokenizers,
        DecodePlan decodePlan)
    {
        _model = model;
        _normalizers = normalizers;
        _preTokenizers = preTokenizers;
        DecodePlan = decodePlan;
        _addedByContent = new Dictionary<string, AddedToken>(StringComparer.Ordinal);
        foreach (AddedToken token in addedTokens)
        {
            _addedByContent[token.Content] = token;
        }

        _rawMatcher = new AddedTokenMatcher(addedTokens.Where(t => !t.Normalized));
        _normalizedMatcher = new AddedTokenMatcher(addedTokens.Where(t => t.Normalized));

        int maxId = -1;
        foreach (int id in model.Vocab.Values)
        {
            maxId = Math.Max(maxId, id);
        }

        foreach (AddedToken token in addedTokens)
        {
            maxId = Math.Max(maxId, token.Id);
        }

        VocabSize = maxId + 1;
        _idToToken = new string?[VocabSize];
        _special = new bool[VocabSize];
        foreach (KeyValuePair<string, int> entry in model.Vocab)
        {
            _idToToken[entry.Value] = entry.Key;
        }

        foreach (AddedToken token in addedTokens)
        {
            _idToToken[token.Id] = token.Content;
            _special[token.Id] = token.Special;
        }

        _bound = TokenCountBound.For(model, preTokenizers);
        _tokenBytes = new byte[VocabSize][];
        for (int id = 0; id < VocabSize; id++)
        {
            string? token = _idToToken[id];
            _tokenBytes[id] = token is null ? [] : decodePlan.TokenBytes(token, first: false);
        }
    }

    /// <summary>Max id + 1 over the vocab and the added tokens.</summary>
    public int VocabSize { get; }

    internal DecodePlan DecodePlan { get; }

    /// <summary>Loads a tokenizer.json; throws <see cref="Models.ModelLoadException"/> naming the file when it cannot.</summary>
    public static BpeTokenizer Load(string tokenizerJsonPath) => TokenizerFileReader.Read(tokenizerJsonPath);

    /// <summary>Same ids as Hugging Face's <c>tokenizer(text, add_special_tokens=False).input_ids</c>.</summary>
    public int[] Encode(string text)
    {
        TryEncode(text, int.MaxValue, out int[] ids, out _);
        return ids;
    }

    /// <summary>
    /// As <see cref="Encode(string)"/> when the text has at most <paramref name="maxTokens"/> tokens. Otherwise false, as
    /// soon as that is known, with <paramref name="tokensAtLeast"/> a lower bound on the count (more than
    /// <paramref name="maxTokens"/>) and <paramref name="ids"/> cut short. Past the linear passes that normalize and find
    /// added tokens, the work is bounded by <paramref name="maxTokens"/> (times the longest token), not by the text.
    /// </summary>
    public bool TryEncode(string text, int maxTokens, out int[] ids, out long tokensAtLeast)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(maxTokens);
        var found = new List<int>(Math.Min(text.Length / 3, maxTokens) + 4);
        long pending = 0;
        var segments = new List<TextSegment>();
        _rawMatcher.Split(text, textAtStart: true, segments);
        var normalizedSegments = new List<TextSegment>();
        var pieces = new List<PreToken>();
        var scratch = new List<PreToken>();
        foreach (TextSegment segment in segments)
        {
            if (segment.IsAddedToken)
            {
                found.Add(segment.TokenId);
                continue;
            }

            string normalized = segment.Text;
            foreach (NormalizerStep step in _normalizers)
            {
                normalized = step.Apply(normalized);
            }

            normalizedSegments.Clear();
            _normalizedMatcher.Split(normalized, segment.AtStart, normalizedSegments);
            foreach (TextSegment inner in normalizedSegments)
            {
                if (inner.IsAddedToken)
                {
                    found.Add(inner.TokenId);
                }
                else if (_bound is not null && found.Count + _bound.AtLeast(inner.Text) > maxTokens)
                {
                    pending = _bound.AtLeast(inner.Text);
                }
                else
                {
                    pending = EncodeWithModel(new PreToken(inner.Text, inner.AtStart), pieces, scratch, found, maxTokens);
                }

                if (found.Count + pending > maxTokens)
                {
                    ids = [.. found];
                    tokensAtLeast = found.Count + pending;
                    return false;
                }
            }
        }

        ids = [.. found];
        tokensAtLeast = ids.Length;
        return true;
    }

    /// <summary>Same text as Hugging Face's <c>decode(ids, skip_special_tokens)</c> without clean-up of spaces.</summary>
    public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens)
    {
        var buffer = new ArrayBufferWriter<byte>(ids.Length * 4 + 16);
        bool first = true;
        foreach (int id in ids)
        {
            if (!IsDecoded(id, skipSpecialTokens))
            {
                continue;
            }

            if (!first)
            {
                buffer.Write(DecodePlan.Separator);
            }

            buffer.Write(TokenBytesAt(id, first));
            first = false;
        }

        ReadOnlySpan<byte> bytes = buffer.WrittenSpan;
        int strip = 0;
        while (strip < DecodePlan.LeadingStripCount && strip < bytes.Length && bytes[strip] == DecodePlan.LeadingStripByte)
        {
            strip++;
        }

        return Encoding.UTF8.GetString(bytes[strip..]);
    }

    /// <summary>The raw UTF-8 bytes <paramref name="id"/> contributes when decoded (empty for an unknown id).</summary>
    public ReadOnlySpan<byte> GetTokenBytes(int id) => (uint)id < (uint)VocabSize ? _tokenBytes[id] : [];

    /// <summary>True for an added token marked <c>special</c>.</summary>
    public bool IsSpecial(int id) => (uint)id < (uint)VocabSize && _special[id];

    /// <summary>The id of a vocab or added token, by its content.</summary>
    public int? TokenToId(string token)
    {
        if (_addedByContent.TryGetValue(token, out AddedToken? added))
        {
            return added.Id;
        }

        return _model.Vocab.TryGetValue(token, out int id) ? id : null;
    }

    /// <summary>The content of a token (byte-level tokens are returned as stored, e.g. "Ġhello").</summary>
    public string? IdToToken(int id) => (uint)id < (uint)VocabSize ? _idToToken[id] : null;

    internal bool IsDecoded(int id, bool skipSpecialTokens) =>
        (uint)id < (uint)VocabSize && _idToToken[id] is not null && !(skipSpecialTokens && _special[id]);

    internal ReadOnlySpan<byte> TokenBytesAt(int id, bool first) =>
        first && DecodePlan.FirstTokenDrop is not null ? DecodePlan.TokenBytes(_idToToken[id]!, first: true) : _tokenBytes[id];

    /// <summary>Appends the ids of <paramref name="text"/>, or stops at a piece the bound says cannot fit and returns that bound (else 0).</summary>
    private long EncodeWithModel(PreToken text, List<PreToken> pieces, List<PreToken> scratch, List<int> ids, int maxTokens)
    {
        if (text.Text.Length == 0)
        {
            return 0;
        }

        pieces.Clear();
        pieces.Add(text);
        foreach (PreTokenizerStep step in _preTokenizers)
        {
            scratch.Clear();
            step.Apply(pieces, scratch);
            (pieces, scratch) = (scratch, pieces);
        }

        foreach (PreToken piece in pieces)
        {
            if (_bound is not null && ids.Count + _bound.AtLeastInPieceUnits(piece.Text.Length) > maxTokens)
            {
                return _bound.AtLeastInPieceUnits(piece.Text.Length);
            }

            _model.Tokenize(piece.Text, ids);
            if (ids.Count > maxTokens)
            {
                return 0;
            }
        }

        return 0;
    }
}
