using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Images;
using InferenceServer.Engine.Janus;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.ModelForge.Janus;
using InferenceServer.Tests.Generation;

namespace InferenceServer.Tests.Janus;

/// <summary>
/// Janus-Pro draws in the chat model's own scheduler: a drawing's two rows (the prompt and its unconditional twin)
/// decode in the same batched steps as chats and other drawings, and what each gives is what it gives alone.
/// </summary>
public sealed class JanusDrawingSchedulingTests : IClassFixture<JanusFixture>
{
    private const string Prompt = "a fox (forever)";
    private readonly JanusFixture _fixture;

    public JanusDrawingSchedulingTests(JanusFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task AChatDecodesInTheDrawingsStepsAndEachGivesWhatItGivesAlone()
    {
        var steps = new RunningRecorder();
        using var model = Load(slots: 4, steps);
        var drawing = (JanusImageGenerator)model.ImageGeneration!;
        var alonePicture = Draw(drawing, 5);
        using (var alone = model.Submit(SchedulerFixture.Greedy(model, "forever", 40), CancellationToken.None))
        {
            var aloneChat = await SchedulerFixture.ReadAsync(alone);

            // The chat is queued from the scheduler's thread once the drawing's rows decode, so it joins their steps.
            var chat = new TaskCompletionSource<SequenceHandle>(TaskCreationOptions.RunContinuationsAsynchronously);
            var before = drawing.StepsRun;
            steps.AfterStep = () =>
            {
                if (drawing.StepsRun > before && !chat.Task.IsCompleted)
                {
                    chat.SetResult(model.Submit(SchedulerFixture.Greedy(model, "forever", 40), CancellationToken.None));
                }
            };
            var picture = Task.Run(() => Draw(drawing, 5));
            using var handle = await chat.Task;
            var together = await SchedulerFixture.ReadAsync(handle);
            var drawnWhenTheChatEnded = drawing.StepsRun - before;

            Assert.Equal(aloneChat.Text, together.Text);
            Assert.Equal(alonePicture.Pixels, (await picture).Pixels);
            Assert.InRange(drawnWhenTheChatEnded, 1, JanusSpec.ImageTokens - 1);
        }

        // Two drawing rows and the chat's, in one step.
        Assert.Contains(3, steps.Running());
    }

    [Fact]
    public void ADrawingIsAdmittedWithItsTwinOrNotAtAll()
    {
        var steps = new RunningRecorder();
        using var model = Load(slots: 3, steps);
        var drawing = model.ImageGeneration!;
        var alone = new[] { Draw(drawing, 8), Draw(drawing, 9) };

        // Two pictures queued together on three rows: the second pair waits for the first to end, whole.
        var together = drawing.Generate([Request(8), Request(9)], CancellationToken.None);
        Assert.Equal(alone[0].Pixels, together[0].Image.Pixels);
        Assert.Equal(alone[1].Pixels, together[1].Image.Pixels);
        Assert.DoesNotContain(steps.Running(), r => r % 2 == 1);
        Assert.Contains(2, steps.Running());
    }

    [Fact]
    public void ADrawingCancelledMidwayEndsAtOnceAndFreesItsRows()
    {
        var steps = new RunningRecorder();
        using var model = Load(slots: 2, steps);
        var drawing = model.ImageGeneration!;
        var alone = Draw(drawing, 4);
        using var cancel = new CancellationTokenSource();
        steps.AfterStep = () =>
        {
            if (drawing.StepsRun >= JanusSpec.ImageTokens + 20)
            {
                cancel.Cancel();
            }
        };
        Assert.ThrowsAny<OperationCanceledException>(() => drawing.Generate([Request(4)], cancel.Token));
        steps.AfterStep = null;
        var stopped = drawing.StepsRun;
        Assert.InRange(stopped, JanusSpec.ImageTokens + 20, JanusSpec.ImageTokens + 21);

        // Its rows are free again: the same picture draws whole, and the cancelled one drew nothing more.
        Assert.Equal(alone.Pixels, Draw(drawing, 4).Pixels);
        Assert.Equal(stopped + JanusSpec.ImageTokens, drawing.StepsRun);
    }

    [Fact]
    public void AnExportWithAnInPlaceKvCacheDrawsTheSamePicturesBesideAChat()
    {
        // The same weights with GroupQueryAttention's shared past/present buffer: the decode step's other path.
        using var temp = new ModelForge.TempModelFolder();
        var folder = Path.Combine(temp.Path, "janus-gqa");
        JanusModels.Write(folder, concatKv: false);
        using var concat = Load(slots: 2, new RunningRecorder());
        var expected = concat.ImageGeneration!.Generate([Request(12), Request(13)], CancellationToken.None);

        using var model = Load(slots: 6, new RunningRecorder(), folder);
        Assert.False(model.Decoder.ConcatKv);
        using var chat = model.Submit(SchedulerFixture.Greedy(model, "forever", 200), CancellationToken.None);
        var drawn = model.ImageGeneration!.Generate([Request(12), Request(13)], CancellationToken.None);
        Assert.Equal(expected[0].Image.Pixels, drawn[0].Image.Pixels);
        Assert.Equal(expected[1].Image.Pixels, drawn[1].Image.Pixels);
    }

    private TextModel Load(int slots, IServingObserver observer, string? folder = null) => TextModelLoader.Load(
        new ModelOptions { Id = "janus", Path = folder ?? _fixture.Folder, MaxConcurrentSequences = slots, PrefixCacheMiB = 0 },
        new SessionFactory(new ExecutionProfileOptions { IntraOpThreads = 1, HugePages = false }),
        observer);

    private static ImageGenerationRequest Request(long seed) => new(Prompt, 384, 384, seed);

    private static RgbImage Draw(IImagePipeline drawing, long seed) => drawing.Generate([Request(seed)], CancellationToken.None)[0].Image;

    /// <summary>The rows running after each step (the scheduler reports its state after every step, on its own thread).</summary>
    private sealed class RunningRecorder : IServingObserver
    {
        private readonly List<int> _running = [];
        private readonly Lock _gate = new();

        public Action? AfterStep { get; set; }

        public int[] Running()
        {
            lock (_gate)
            {
                return [.. _running];
            }
        }

        public void SchedulerState(string model, int running, int waiting, double kvUsage)
        {
            lock (_gate)
            {
                _running.Add(running);
            }

            AfterStep?.Invoke();
        }

        public void RequestRejected(string model)
        {
        }

        public void RequestStarted(string model, TimeSpan queueTime)
        {
        }

        public void FirstToken(string model, TimeSpan timeToFirstToken)
        {
        }

        public void InterTokenLatency(string model, TimeSpan latency)
        {
        }

        public void RequestFinished(string model, FinishReason reason, int promptTokens, int completionTokens, TimeSpan endToEnd)
        {
        }

        public void PrefixCacheLookup(string model, int promptTokens, int hitTokens)
        {
        }
    }
}
