using InferenceServer.Engine.Runtime;

namespace InferenceServer.Engine.Generation;

/// <summary>
/// Pictures drawn token by token (a model with <see cref="BatchDecoder.Images"/>, Janus-Pro) are sequences like any
/// other: a drawing is two rows (<see cref="Drawing"/>) admitted together under the same KV budget and queue bound as
/// text, prefilled in the same fresh runs (the prompt up to the image start tag, whose prefix the cache keeps),
/// promoted together, then decoded in the same batched steps as the chat rows, an image token a step: the start tag
/// first, then each drawn token through the image vocabulary. No EOS, stop string, penalty, speculation or
/// detokenizing applies to them; a drawing ends after its image tokens, or with its partner.
/// </summary>
internal sealed partial class Scheduler
{
    /// <summary>
    /// The longest prompt (start tag included) a drawing of <paramref name="imageTokens"/> tokens can have: its two rows
    /// must fit the context and the KV budget at once. 0 when there are fewer than two rows.
    /// </summary>
    public int DrawingPromptRoom(int imageTokens)
    {
        if (_decoder.MaxRows < 2)
        {
            return 0;
        }

        var perRow = (int)Math.Min(_decoder.Capacity, _decoder.Kv.TotalTokens / 2 / StrideStep * StrideStep);
        return Math.Max(0, perRow - imageTokens);
    }

    /// <summary>Queues a drawing's two rows; throws <see cref="QueueFullException"/> when the queue has no room for both.</summary>
    public DrawingHandle SubmitDrawing(DrawingRequest request, CancellationToken cancellationToken)
    {
        var images = _decoder.Images ?? throw new InvalidOperationException($"Model '{_model}' does not draw.");
        var length = request.Prompt.Length;
        if (length < 2 || request.Unconditional.Length != length || request.Unconditional[^1] != request.StartToken || request.ImageTokens < 1
            || length > DrawingPromptRoom(request.ImageTokens))
        {
            throw new ArgumentException(
                $"A drawing prompt of {length} tokens (unconditional {request.Unconditional.Length}) with {request.ImageTokens} image tokens does not fit model '{_model}' " +
                $"(at most {DrawingPromptRoom(request.ImageTokens)} prompt tokens; both prompts end with the image start tag).", nameof(request));
        }

        var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var drawing = new Drawing(request, images.Codebook);
        var now = _options.Time.GetTimestamp();
        drawing.Conditional = DrawingRow(request.Prompt, drawing, cancel.Token, now);
        drawing.Unconditional = DrawingRow(request.Unconditional, drawing, cancel.Token, now);
        Enqueue([drawing.Conditional, drawing.Unconditional], cancel);
        return new DrawingHandle(drawing, cancel);
    }

    /// <summary>One row of a drawing: it prefills its prompt but the start tag, which its first step feeds.</summary>
    private Sequence DrawingRow(int[] prompt, Drawing drawing, CancellationToken cancellation, long enqueued)
    {
        var request = new GenerationRequest(prompt[..^1], drawing.Tokens.Length + 1, SamplingOptions.Greedy, [], false);
        return new Sequence(request, new SequenceOutput(_tokenizer, request), new TokenSampler(SamplingOptions.Greedy, _decoder.VocabSize), null,
            cancellation, enqueued, new ChoiceGroup(1, 1), 0)
        {
            Need = prompt.Length + drawing.Tokens.Length,
            Drawing = drawing,
        };
    }

    /// <summary>A drawing row's prompt is in place: once its partner's is too, both start decoding with the start tag.</summary>
    private void PairPrefilled(Drawing drawing)
    {
        var (cond, uncond) = (drawing.Conditional, drawing.Unconditional);
        if (drawing.Decoding || cond.Row < 0 || uncond.Row < 0 || cond.Length < cond.Prompt.Length || uncond.Length < uncond.Prompt.Length)
        {
            // The first one waits among the prefilling rows (it has nothing left to compute).
            return;
        }

        cond.NextInput = uncond.NextInput = drawing.StartToken;
        drawing.Decoding = true;
        Promote(cond);
        Promote(uncond);
    }

    /// <summary>Posts a drawing row's image logits; the second row of the pair draws the token and feeds it to both.</summary>
    private void Draw(Sequence s, Drawing drawing)
    {
        if (s.Cancellation.IsCancellationRequested)
        {
            return;
        }

        var token = drawing.Post(s, _decoder.Logits(s.Row));
        if (token < 0)
        {
            return;
        }

        if (drawing.Complete)
        {
            End(drawing.Conditional, FinishReason.Stop);
            End(drawing.Unconditional, FinishReason.Stop);
            return;
        }

        drawing.Conditional.NextInput = drawing.Unconditional.NextInput = token;
    }
}
