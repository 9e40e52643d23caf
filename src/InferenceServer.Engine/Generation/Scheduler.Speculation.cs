namespace InferenceServer.Engine.Generation;

/// <summary>
/// Prompt-lookup speculative decoding (see <see cref="SpeculationOptions"/>). While at most
/// <see cref="SpeculationOptions.MaxBatch"/> sequences decode, each row's next input and its draft run together
/// (<see cref="Runtime.BatchDecoder.Verify"/>); then the row's positions go, one at a time and in order, through the
/// same <see cref="SampleAndEmit"/> as a plain step (penalties, sampler, EOS, logprobs, stop strings, tool calls,
/// max_tokens, streaming deltas), and it stops at the first token that differs from the draft: that token is the
/// model's own next one, and the KV of the rest of the draft is dropped. So a row emits exactly the tokens it would
/// have emitted one step at a time, up to draft + 1 of them per run.
/// <para>Only greedy rows without a constraint or logprobs speculate. A greedy choice is a function of the logits, so
/// the checked draft gives the plain tokens. The logits of a multi-token run equal a one-token step's only up to float
/// rounding (its matrix products sum in another order, as a batched step's do), which moves a reported logprob in its
/// sixth digit, so rows asking for logprobs decode plainly and report exactly the plain figures. Sampled rows (no
/// rejection sampling here) and rows under a JSON schema, grammar or forced tool call decode as usual too, in runs of
/// their own while a neighbour speculates.</para>
/// </summary>
internal sealed partial class Scheduler
{
    private int[] _draft = [];

    /// <summary>Books a row's emitted token into its drafter; a row that may speculate gets one at its first token.</summary>
    private void Record(Sequence s, int token)
    {
        if (s.Lookup is null && s.Output.CompletionTokens == 0 && MaySpeculate(s))
        {
            s.Lookup = new PromptLookup(s.Prompt, _options.Speculation.NgramSize);
        }

        s.Lookup?.Add(token);
    }

    /// <summary>Greedy, unconstrained rows without images (a prompt's image ids are no tokens to draft).</summary>
    private bool MaySpeculate(Sequence s) =>
        _options.Speculation.Enabled && s.Request.Sampling.IsGreedy && s.Grammar is null && s.Logprobs is null && s.Request.Images is null;

    /// <summary>A speculative step in place of the batched one; false (nothing done) when no row drafts anything.</summary>
    private bool TrySpeculate()
    {
        var options = _options.Speculation;
        if (!options.Enabled || _decoding.Count > options.MaxBatch || _decoding.Exists(static s => s.Drawing is not null))
        {
            // A drawing's rows decode in lockstep, an image token at a time.
            return false;
        }

        var width = options.MaxDraftTokens + 1;
        if (_draft.Length < _decoding.Count * width)
        {
            _draft = new int[_decoder.MaxRows * width];
        }

        var any = false;
        Span<int> counts = stackalloc int[_decoding.Count];
        for (var r = 0; r < _decoding.Count; r++)
        {
            var s = _decoding[r];
            var limit = s.DraftLimit > 0 ? Math.Min(s.DraftLimit, options.MaxDraftTokens) : options.MaxDraftTokens;
            var room = Math.Min(limit, Math.Min(s.Need - s.Length - 1, s.Request.MaxTokens - s.Output.CompletionTokens - 1));
            var draft = _draft.AsSpan((r * width) + 1, Math.Max(room, 0));
            counts[r] = s.Lookup is { } lookup && s.Finished is null && !s.Cancellation.IsCancellationRequested ? lookup.Draft(draft) : 0;
            any |= counts[r] > 0;
        }

        if (!any)
        {
            return false;
        }

        for (var r = 0; r < _decoding.Count; r++)
        {
            var s = _decoding[r];
            if (s.Finished is null && !s.Cancellation.IsCancellationRequested)
            {
                Verify(s, _draft.AsSpan(r * width, counts[r] + 1));
            }
        }

        return true;
    }

    /// <summary>One row: its next input, then its draft, in one run; emits the accepted prefix and the model's next token.</summary>
    private void Verify(Sequence s, Span<int> run)
    {
        run[0] = s.NextInput;
        var past = s.Length;
        _decoder.Verify(s.Row, past, run, _decodeRun);
        var accepted = 0;
        for (var i = 0; i < run.Length; i++)
        {
            s.Length = past + i + 1;
            _decoder.UseVerifiedLogits(s.Row, i);
            SampleAndEmit(s);
            if (s.Finished is not null || s.Cancellation.IsCancellationRequested || i + 1 == run.Length || s.NextInput != run[i + 1])
            {
                break;
            }

            accepted++;
        }

        // The KV past the last token the row kept is stale: the mask drops it, the next run overwrites it.
        _decoder.SetRowLength(s.Row, s.Length);
        if (run.Length > 1)
        {
            _observer.Speculated(_model, run.Length - 1, accepted);

            // A draft taken whole lets the next be 2 longer; a miss cuts it to what was accepted plus one. Text that does
            // not repeat then verifies one-token drafts (cheap where a multi-token run costs several steps, as on int4
            // weights), and a quote grows back to long ones within a few runs.
            var limit = s.DraftLimit > 0 ? s.DraftLimit : _options.Speculation.MaxDraftTokens;
            s.DraftLimit = accepted == run.Length - 1 ? Math.Min(limit + 2, _options.Speculation.MaxDraftTokens) : accepted + 1;
        }
    }
}
