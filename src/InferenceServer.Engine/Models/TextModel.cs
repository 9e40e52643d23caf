using System.Runtime.CompilerServices;
using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Runtime;
using InferenceServer.Engine.Text;
using InferenceServer.Engine.Text.Tokenization;
using InferenceServer.Engine.Vision;

namespace InferenceServer.Engine.Models;

/// <summary>
/// A loaded text model: tokenizer, chat template, and the scheduler that owns its ONNX session and KV cache and
/// runs every request on it with continuous batching.
/// </summary>
public sealed class TextModel : IDisposable
{
    private readonly Scheduler _scheduler;

    internal TextModel(string id, string folder, GenAiConfig config, BpeTokenizer tokenizer, ChatTemplate template,
        BatchDecoder decoder, SessionPlan plan, SchedulerOptions scheduling, IServingObserver observer)
    {
        Id = id;
        Folder = folder;
        Config = config;
        Tokenizer = tokenizer;
        Template = template;
        Decoder = decoder;
        Plan = plan;
        Scheduling = scheduling;
        _scheduler = new Scheduler(id, decoder, tokenizer, config.EosTokenIds, scheduling, observer);
        _scheduler.SequenceEnded += r => GenerationEnded?.Invoke(r);
    }

    public string Id { get; }

    public DateTimeOffset LoadedAt { get; } = DateTimeOffset.UtcNow;

    public string Folder { get; }

    public GenAiConfig Config { get; }

    public BpeTokenizer Tokenizer { get; }

    public ChatTemplate Template { get; }

    public SessionPlan Plan { get; }

    public SchedulerOptions Scheduling { get; }

    /// <summary>Prompt plus output tokens one request may use: the configured cap or the model's context, whichever is smaller.</summary>
    public int ContextLength => Decoder.Capacity;

    public bool CanThink => Tokenizer.TokenToId("<think>") is not null;

    /// <summary>Bytes of KV cache one token takes.</summary>
    public long KvBytesPerToken => Decoder.Kv.BytesPerToken;

    /// <summary>Bytes of the KV cache budget, all sequences together (reserved address space; pages are used as rows fill).</summary>
    public long KvBytes => Decoder.Kv.TotalBytes;

    /// <summary>How the KV cache was sized.</summary>
    public required KvBudget KvBudget { get; init; }

    /// <summary>Bytes of the model's weights on transparent huge pages (0: off, not Linux, or the kernel declined).</summary>
    public long HugePageBytes { get; init; }

    /// <summary>The image encoder of a vision-language folder (GenAI phi3v), or null for a text-only model.</summary>
    public VisionEncoder? Vision { get; init; }

    /// <summary>
    /// The model's own image generation (a Janus-Pro folder with its generation graphs), over the same language model
    /// session; null for a model that does not draw. Disposed with the model.
    /// </summary>
    public Images.IImagePipeline? ImageGeneration { get; internal set; }

    /// <summary>Why a model with image generation graphs does not draw (its settings cannot hold a drawing), or null.</summary>
    public string? ImageGenerationUnavailable { get; internal set; }

    /// <summary>Tokens sampled by this model since start, all requests together.</summary>
    public long GeneratedTokens => _scheduler.GeneratedTokens;

    /// <summary>Raised when a sequence has ended, whatever the reason (on the scheduler's thread: keep handlers short).</summary>
    public event Action<GenerationReport>? GenerationEnded;

    internal BatchDecoder Decoder { get; }

    /// <summary>
    /// Queues a request. Throws <see cref="QueueFullException"/> when the admission queue is full. The handle's
    /// <see cref="SequenceHandle.Started"/> tells when it left the queue, for keep-alives while waiting.
    /// </summary>
    public SequenceHandle Submit(GenerationRequest request, CancellationToken cancellationToken) => Submit(request, 1, cancellationToken);

    /// <summary>
    /// Queues a request for <paramref name="choices"/> independent choices (<c>n</c>) from one prefill of its prompt;
    /// read them with <see cref="SequenceHandle.ReadChoicesAsync"/>. Each choice counts as a request against the queue bound.
    /// </summary>
    public SequenceHandle Submit(GenerationRequest request, int choices, CancellationToken cancellationToken)
    {
        var handle = _scheduler.Submit(request, choices, cancellationToken);
        GenerationTrace.Watch(Id, request, handle);
        return handle;
    }

    /// <summary>Submits and reads the request's events; leaving early cancels it.</summary>
    public async IAsyncEnumerable<GenerationEvent> GenerateAsync(GenerationRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var handle = Submit(request, cancellationToken);
        await foreach (var e in handle.ReadAllAsync(cancellationToken))
        {
            yield return e;
        }
    }

    /// <summary>Queues a picture drawn in this model's scheduler (a model whose decoder has an image vocabulary).</summary>
    internal DrawingHandle SubmitDrawing(DrawingRequest request, CancellationToken cancellationToken) => _scheduler.SubmitDrawing(request, cancellationToken);

    /// <summary>The longest drawing prompt (start tag included) two rows of which fit with <paramref name="imageTokens"/> image tokens; 0 when none can be drawn.</summary>
    internal int DrawingPromptRoom(int imageTokens) => _scheduler.DrawingPromptRoom(imageTokens);

    /// <summary>
    /// Ends every running and later generation at its next step with <see cref="FinishReason.InsufficientSystemResource"/>
    /// (a final event, not an error): for a shutdown whose drain deadline has passed.
    /// </summary>
    public void AbortRunning() => _scheduler.Abort();

    public void Dispose()
    {
        _scheduler.Dispose();
        ImageGeneration?.Dispose();
        Decoder.Dispose();
        Vision?.Dispose();
    }
}
