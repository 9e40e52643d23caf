namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>
/// A Hugging Face tokenizer.json Unigram tokenizer (SentencePiece models converted by transformers: T5, UMT5, ALBERT,
/// XLNet, mT5): added tokens, then the normalizer (usually SentencePiece's <c>Precompiled</c> charsmap), the
/// Metaspace pre-tokenizer, the Viterbi split with unknown fusion and byte fallback, and the TemplateProcessing
/// post-processor (T5's trailing <c>&lt;/s&gt;</c>). Ids equal Hugging Face tokenizers' on the same file.
/// Immutable after <see cref="FromTokenizerJson"/> and safe to share between threads.
/// </summary>
public sealed class UnigramTokenizer
{
    private readonly UnigramModel _model;
    private readonly UnigramNormalizer _normalizer;
    private readonly UnigramPreTokenizer _preTokenizer;
    private readonly UnigramDecoder _decoder;
    private readonly AddedTokenMatcher _rawMatcher;
    private readonly AddedTokenMatcher _normalizedMatcher;
    private readonly Dictionary<int, AddedToken> _addedById;
    private readonly IReadOnlyList<int>? _prefixIds;
    private readonly IReadOnlyList<int>? _suffixIds;

    internal UnigramTokenizer(UnigramModel model, List<AddedToken> addedTokens, UnigramNormalizer normalizer,
        UnigramPreTokenizer preTokenizer, UnigramDecoder decoder, UnigramTemplate? template)
    {
        _model = model;
        _normalizer = normalizer;
        _preTokenizer = preTokenizer;
        _decoder = decoder;
        _rawMatcher = new AddedTokenMatcher(addedTokens.Where(t => !t.Normalized));
        _normalizedMatcher = new AddedTokenMatcher(addedTokens.Where(t => t.Normalized));
        _addedById = [];
        foreach (AddedToken token in addedTokens)
        {
            _addedById[token.Id] = token;
        }

        _prefixIds = template?.PrefixIds;
        _suffixIds = template?.SuffixIds;
        VocabSize = Math.Max(model.Pieces.Length, addedTokens.Count == 0 ? 0 : addedTokens.Max(t => t.Id) + 1);
        UnknownId = model.UnknownId ?? -1;
        PadId = IdOf("<pad>");
        EosId = IdOf("</s>");
    }

    /// <summary>Max id + 1 over the vocab and the added tokens.</summary>
    public int VocabSize { get; }

    /// <summary>The id of <c>&lt;pad&gt;</c> (T5 pads its encoder input and starts its decoder with it); -1 if absent.</summary>
    public int PadId { get; }

    /// <summary>The id of <c>&lt;/s&gt;</c>; -1 if absent.</summary>
    public int EosId { get; }

    /// <summary>The model's <c>unk_id</c>; -1 if it has none.</summary>
    public int UnknownId { get; }

    /// <summary>Reads a tokenizer.json whose model is <c>Unigram</c>; throws <see cref="Models.ModelLoadException"/> if it cannot.</summary>
    public static UnigramTokenizer FromTokenizerJson(string path) => UnigramFileReader.Read(path);

    /// <summary>
    /// Encodes <paramref name="text"/>; with <paramref name="addSpecialTokens"/> the post-processor's template adds its
    /// special tokens (T5 and UMT5: a trailing <c>&lt;/s&gt;</c>).
    /// </summary>
    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        if (addSpecialTokens && _prefixIds is not null)
        {
            ids.AddRange(_prefixIds);
        }

        var rawSegments = new List<TextSegment>();
        _rawMatcher.Split(text, textAtStart: true, rawSegments);
        var segments = new List<TextSegment>();
        foreach (TextSegment raw in rawSegments)
        {
            if (raw.IsAddedToken)
            {
                ids.Add(raw.TokenId);
                continue;
            }

            segments.Clear();
            _normalizedMatcher.Split(_normalizer.Normalize(raw.Text), raw.AtStart, segments);
            foreach (TextSegment segment in segments)
            {
                if (segment.IsAddedToken)
                {
                    ids.Add(segment.TokenId);
                    continue;
                }

                foreach (PreToken piece in _preTokenizer.Split(segment.Text, segment.AtStart))
                {
                    _model.Encode(piece.Text, ids);
                }
            }
        }

        if (addSpecialTokens && _suffixIds is not null)
        {
            ids.AddRange(_suffixIds);
        }

        return ids;
    }

    /// <summary>Decodes <paramref name="ids"/> as Hugging Face's <c>decode(ids, skip_special_tokens=True)</c>: special
    /// added tokens are left out, ids outside the vocab are ignored, and the decoder joins the rest.</summary>
    public string Decode(IReadOnlyList<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var tokens = new List<string>(ids.Count);
        foreach (int id in ids)
        {
            if (_addedById.TryGetValue(id, out AddedToken? added))
            {
                if (!added.Special)
                {
                    tokens.Add(added.Content);
                }
            }
            else if (id >= 0 && id < _model.Pieces.Length)
            {
                tokens.Add(_model.Pieces[id]);
            }
        }

        return _decoder.Decode(tokens);
    }

    /// <summary>The piece or added token of <paramref name="id"/>; empty if there is none.</summary>
    public string IdToToken(int id) => _addedById.TryGetValue(id, out AddedToken? added) ? added.Content
        : id >= 0 && id < _model.Pieces.Length ? _model.Pieces[id] : string.Empty;

    private int IdOf(string token)
    {
        foreach (AddedToken added in _addedById.Values)
        {
            if (added.Content == token)
            {
                return added.Id;
            }
        }

        return _model.TryGetId(token, out int id) ? id : -1;
    }
}
