using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Runtime;
using InferenceServer.Engine.Text.Tokenization.WordPiece;
using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Embeddings;

/// <summary>
/// A loaded sentence-transformers model: owns its ONNX Runtime session, runs inputs in chunks of
/// <see cref="BatchSize"/> (sorted by length, so padding stays small), pools and normalises each sequence.
/// At most <c>MaxConcurrentBatches</c> ONNX runs at a time; cancellation stops a running one through
/// <see cref="RunOptions.Terminate"/>.
/// </summary>
public sealed class EmbeddingModel : IDisposable
{
    private readonly EmbeddingSession _session;

    // Admission: at most MaxConcurrentBatches ONNX runs at once; requests beyond those plus the queue bound get 503.
    private readonly SemaphoreSlim _gate;
    private readonly int _maxAdmitted;
    private int _admitted;

    internal EmbeddingModel(string id, string folder, WordPieceTokenizer tokenizer, EmbeddingSession session, EmbeddingPooling pooling,
        SessionPlan plan, int maxTokens, int batchSize, int maxConcurrentBatches, int maxQueuedRequests)
    {
        _maxAdmitted = maxConcurrentBatches + maxQueuedRequests;
        Id = id;
        Folder = folder;
        Tokenizer = tokenizer;
        _session = session;
        Pooling = pooling;
        Plan = plan;
        MaxTokens = maxTokens;
        BatchSize = batchSize;
        _gate = new SemaphoreSlim(maxConcurrentBatches, maxConcurrentBatches);
    }

    public string Id { get; }

    public string Folder { get; }

    public DateTimeOffset LoadedAt { get; } = DateTimeOffset.UtcNow;

    public WordPieceTokenizer Tokenizer { get; }

    public EmbeddingPooling Pooling { get; }

    public SessionPlan Plan { get; }

    /// <summary>Length of the vectors this model returns.</summary>
    public int Dimensions => _session.HiddenSize;

    /// <summary>Tokens one input may have, <c>[CLS]</c> and <c>[SEP]</c> included.</summary>
    public int MaxTokens { get; }

    /// <summary>Inputs per ONNX run.</summary>
    public int BatchSize { get; }

    /// <summary>The ids the model reads for a text: <c>[CLS]</c>, pieces, <c>[SEP]</c>.</summary>
    public int[] Tokenize(string text) => Tokenizer.Encode(text);

    /// <summary>Client-given token ids as the model reads them: <c>[CLS]</c> and <c>[SEP]</c> added where missing.</summary>
    public int[] WithSpecialTokens(IReadOnlyList<int> ids)
    {
        var head = ids.Count > 0 && ids[0] == Tokenizer.ClassifierId ? 0 : 1;
        var tail = ids.Count > 0 && ids[^1] == Tokenizer.SeparatorId && (ids.Count > 1 || head == 1) ? 0 : 1;
        var result = new int[ids.Count + head + tail];
        result[0] = Tokenizer.ClassifierId;
        for (var i = 0; i < ids.Count; i++)
        {
            result[head + i] = ids[i];
        }

        result[^1] = Tokenizer.SeparatorId;
        return result;
    }

    /// <summary>One vector per sequence, in the order given. Each sequence must already hold the special tokens.</summary>
    public async Task<float[][]> EmbedAsync(IReadOnlyList<int[]> sequences, CancellationToken cancellationToken)
    {
        var order = new int[sequences.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
            if (sequences[i].Length is 0 || sequences[i].Length > MaxTokens)
            {
                throw new ArgumentException($"Sequence {i} has {sequences[i].Length} tokens; this model takes 1 to {MaxTokens}.", nameof(sequences));
            }
        }

        if (Interlocked.Increment(ref _admitted) > _maxAdmitted)
        {
            Interlocked.Decrement(ref _admitted);
            throw new QueueFullException($"Server Overloaded: {_maxAdmitted} embedding requests are already running or waiting for model '{Id}'.", TimeSpan.FromSeconds(1));
        }

        try
        {
            return await EmbedAdmittedAsync(sequences, order, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _admitted);
        }
    }

    private async Task<float[][]> EmbedAdmittedAsync(IReadOnlyList<int[]> sequences, int[] order, CancellationToken cancellationToken)
    {
        Array.Sort(order, (a, b) => sequences[a].Length.CompareTo(sequences[b].Length));
        var vectors = new float[sequences.Count][];
        for (var start = 0; start < order.Length; start += BatchSize)
        {
            var chunk = order.AsMemory(start, Math.Min(BatchSize, order.Length - start));
            await _gate.WaitAsync(cancellationToken);
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                _session.Run(sequences, chunk.Span, vectors, Pooling, Tokenizer.PadId, cancellationToken);
            }
            finally
            {
                _gate.Release();
            }
        }

        return vectors;
    }

    public void Dispose()
    {
        _session.Dispose();
        _gate.Dispose();
    }
}
