using System.Runtime.CompilerServices;
using System.Threading.Channels;
using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Runtime;
using InferenceServer.Engine.Text;
using InferenceServer.Engine.Text.Tokenization;

namespace InferenceServer.Engine.Models;

/// <summary>
/// A loaded text model: its decoder session, tokenizer and chat template. Generations run on the thread pool, each
/// with its own KV cache, at most <see cref="ModelOptions.MaxConcurrentSequences"/> at a time.
/// </summary>
public sealed class TextModel : IDisposable
{
    private readonly OnnxDecoder _decoder;
    private readonly SemaphoreSlim _slots;
    private readonly HashSet<int> _eos;
    private readonly CancellationTokenSource _abort = new();
    private long _generatedTokens;

    internal TextModel(string id, string folder, GenAiConfig config, BpeTokenizer tokenizer, ChatTemplate template,
        OnnxDecoder decoder, SessionPlan plan, int contextLength, int maxConcurrentSequences)
    {
        Id = id;
        Folder = folder;
        Config = config;
        Tokenizer = tokenizer;
        Template = template;
        _decoder = decoder;
        Plan = plan;
        ContextLength = contextLength;
        _slots = new SemaphoreSlim(maxConcurrentSequences, maxConcurrentSequences);
        _eos = [.. config.EosTokenIds];
    }

    public string Id { get; }

    public DateTimeOffset LoadedAt { get; } = DateTimeOffset.UtcNow;

    public string Folder { get; }

    public GenAiConfig Config { get; }

    public BpeTokenizer Tokenizer { get; }

    public ChatTemplate Template { get; }

    public SessionPlan Plan { get; }

    /// <summary>Prompt plus output tokens one request may use: the configured cap or the model's context, whichever is smaller.</summary>
    public int ContextLength { get; }

    public bool CanThink => Tokenizer.TokenToId("<think>") is not null;

    /// <summary>Bytes of KV cache one token takes.</summary>
    public long KvBytesPerToken => _decoder.KvBytesPerToken;

    /// <summary>Tokens sampled by this model since start, all requests together.</summary>
    public long GeneratedTokens => Interlocked.Read(ref _generatedTokens);

    /// <summary>Raised when a generation's compute loop has ended, whatever the reason.</summary>
    public event Action<GenerationReport>? GenerationEnded;

    public async IAsyncEnumerable<GenerationEvent> GenerateAsync(GenerationRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateBounded<GenerationEvent>(new BoundedChannelOptions(64) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(() => RunAsync(request, channel.Writer, stop.Token), CancellationToken.None);
        try
        {
            await foreach (var e in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return e;
            }
        }
        finally
        {
            // A consumer that leaves early (client gone) stops the loop at its next step or inside the running ONNX call.
            await stop.CancelAsync();
            await producer;
            _slots.Release();
        }
    }

    private async Task RunAsync(GenerationRequest request, ChannelWriter<GenerationEvent> writer, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var completion = 0;
        var reason = FinishReason.Cancelled;
        try
        {
            var loop = new GenerationLoop(this, _decoder, request, _eos);
            reason = await loop.RunAsync(writer, cancellationToken, _abort.Token, () => Interlocked.Increment(ref _generatedTokens));
            completion = loop.CompletionTokens;
            writer.TryComplete();
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            reason = FinishReason.Cancelled;
            writer.TryComplete();
        }
        catch (Exception e)
        {
            writer.TryComplete(e);
        }
        finally
        {
            GenerationEnded?.Invoke(new GenerationReport(reason, request.PromptTokens.Count, completion, System.Diagnostics.Stopwatch.GetElapsedTime(started)));
        }
    }

    internal OnnxDecoder Decoder => _decoder;

    /// <summary>
    /// Ends every running and later generation at its next step with <see cref="FinishReason.InsufficientSystemResource"/>
    /// (a final event, not an error): for a shutdown whose drain deadline has passed.
    /// </summary>
    public void AbortRunning() => _abort.Cancel();

    public void Dispose()
    {
        _decoder.Dispose();
        _slots.Dispose();
        _abort.Dispose();
    }
}
