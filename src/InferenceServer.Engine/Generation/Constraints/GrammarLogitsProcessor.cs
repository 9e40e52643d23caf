using InferenceServer.Engine.Text.Tokenization;

namespace InferenceServer.Engine.Generation.Constraints;

/// <summary>
/// Per-sequence constrained decoding: <see cref="Apply"/> sets the logit of every token that would break the grammar
/// (or could no longer finish it within the tokens left) to −∞ before sampling; <see cref="Accept"/> advances the
/// state with the sampled token. While the model is still thinking (before <c>&lt;/think&gt;</c>) nothing is masked, nor
/// before a lazy grammar's <see cref="TokenGrammar.StartToken"/> (sampled after the thinking, if any).
/// A step walks the vocabulary trie depth-first with value-type states, pruning at the first bad byte; no allocation.
/// </summary>
internal sealed class GrammarLogitsProcessor
{
    private readonly TokenGrammar _grammar;
    private readonly BpeTokenizer _tokenizer;
    private readonly VocabularyTrie _trie;
    private readonly IReadOnlySet<int> _eos;
    private readonly int _thinkClose;
    private readonly bool[] _allowed;
    private readonly int[] _cursor;
    private readonly GrammarState[] _states;
    private GrammarState _state;
    private bool _active;
    private bool _thinking;

    public GrammarLogitsProcessor(TokenGrammar grammar, BpeTokenizer tokenizer, IReadOnlySet<int> eos, bool startsInsideThinking)
    {
        _grammar = grammar;
        _tokenizer = tokenizer;
        _trie = VocabularyTrie.For(tokenizer);
        _eos = eos;
        _thinkClose = tokenizer.TokenToId("</think>") ?? -1;
        _allowed = new bool[tokenizer.VocabSize];
        _cursor = new int[_trie.MaxTokenLength + 2];
        _states = new GrammarState[_trie.MaxTokenLength + 2];
        _state = grammar.Start();
        _thinking = startsInsideThinking;
        _active = !startsInsideThinking && grammar.StartToken is null;
    }

    /// <summary>The grammar is complete: only the end of sequence may follow, so the sequence can stop here.</summary>
    public bool IsFinished => _active && _grammar.IsFinished(_state);

    /// <summary>Masks the logits; <paramref name="tokensLeft"/> counts this token too.</summary>
    public void Apply(Span<float> logits, int tokensLeft)
    {
        if (!_active)
        {
            return;
        }

        Array.Clear(_allowed);
        var budget = tokensLeft - 1;
        var any = Walk(budget);
        if (!_grammar.InLiteral(_state))
        {
            foreach (var tag in _grammar.TagTokens)
            {
                _allowed[tag] = false;
            }
        }

        foreach (var id in _trie.SpecialTokens)
        {
            var s = _state;
            if (_grammar.AcceptSpecial(ref s, id) && _grammar.MinTokensToFinish(s) <= budget)
            {
                _allowed[id] = true;
                any = true;
            }
        }

        if (_grammar.CanEnd(_state) || !any)
        {
            foreach (var id in _eos)
            {
                if ((uint)id < (uint)_allowed.Length)
                {
                    _allowed[id] = true;
                }
            }
        }

        var n = Math.Min(logits.Length, _allowed.Length);
        for (var i = 0; i < n; i++)
        {
            if (!_allowed[i])
            {
                logits[i] = float.NegativeInfinity;
            }
        }

        for (var i = n; i < logits.Length; i++)
        {
            logits[i] = float.NegativeInfinity;
        }
    }

    public void Accept(int token)
    {
        if (!_active)
        {
            if (_thinking)
            {
                // Reasoning is never constrained, and a marker inside it does not begin a call.
                _thinking = token != _thinkClose;
                _active = !_thinking && _grammar.StartToken is null;
                return;
            }

            if (token != _grammar.StartToken)
            {
                return;
            }

            // The model began a tool call: from here on the call is kept inside the grammar, starting with this marker
            // (DeepSeek's special marker, or the Hermes <tool_call> token whose bytes begin the first literal).
            _active = true;
            if (!_tokenizer.IsSpecial(token) || !_grammar.AcceptSpecial(ref _state, token))
            {
                Step(token);
            }

            return;
        }

        if (_tokenizer.IsSpecial(token))
        {
            _grammar.AcceptSpecial(ref _state, token);
            return;
        }

        Step(token);
    }

    private void Step(int token)
    {
        foreach (var b in _tokenizer.GetTokenBytes(token))
        {
            _grammar.Step(ref _state, b);
        }
    }

    /// <summary>Marks every trie token reachable from the current state within the budget; true when any is.</summary>
    private bool Walk(int budget)
    {
        var trie = _trie;
        var any = false;
        var depth = 0;
        _states[0] = _state;
        _cursor[0] = trie.FirstChild[0];
        while (depth >= 0)
        {
            var node = _cursor[depth];
            if (node < 0)
            {
                depth--;
                continue;
            }

            _cursor[depth] = trie.NextSibling[node];
            var s = _states[depth];
            if (!_grammar.Step(ref s, trie.Bytes[node]))
            {
                continue;
            }

            var start = trie.TokenStart[node];
            var end = trie.TokenStart[node + 1];
            if (start < end && _grammar.MinTokensToFinish(s) <= budget)
            {
                for (var i = start; i < end; i++)
                {
                    _allowed[trie.Tokens[i]] = true;
                }

                any = true;
            }

            var child = trie.FirstChild[node];
            if (child >= 0)
            {
                depth++;
                _states[depth] = s;
                _cursor[depth] = child;
            }
        }

        return any;
    }
}
