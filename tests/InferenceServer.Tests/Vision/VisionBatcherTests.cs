using InferenceServer.Engine.Vision;
using SkiaSharp;

namespace InferenceServer.Tests.Vision;

/// <summary>
/// The phi3v vision graph runs for several requests at once: requests that arrive while a run is in progress share
/// the next one, and each gets exactly the features it gets alone.
/// </summary>
public sealed class VisionBatcherTests : IClassFixture<Phi3VisionFixture>
{
    private readonly Phi3VisionFixture _fixture;

    public VisionBatcherTests(Phi3VisionFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task RequestsArrivingDuringARunShareTheNextAndEachGetsItsOwnFeatures()
    {
        using var model = Phi3VisionServing.Load(_fixture.Folder, slots: 4);
        var encoder = (Phi3VisionEncoder)model.Vision!;
        await ShareRunsAsync(encoder, encoder.Batcher);
    }

    /// <summary>Four pictures alone (four runs), then one run held while the other three queue: they share the next.</summary>
    internal static async Task ShareRunsAsync<T>(VisionEncoder encoder, VisionBatcher<T> batcher)
    {
        var pictures = new[] { SKColors.Red, SKColors.Blue, SKColors.Green, SKColors.White }
            .Select((c, i) => Phi3VisionServing.Decode(TestImages.Png(c, 64 + (i * 40), 48)))
            .ToArray();
        var alone = pictures.Select(p => encoder.Encode(Phi3VisionFixture.Prompt, [p]).Images.Features).ToArray();
        Assert.Equal(4, batcher.Runs);

        // The first request's run is held until the other three wait; they then go in one run together.
        using var held = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        batcher.BeforeRun = () =>
        {
            started.Set();
            held.Wait();
        };
        var first = Task.Run(() => encoder.Encode(Phi3VisionFixture.Prompt, [pictures[0]]).Images.Features);
        started.Wait();
        batcher.BeforeRun = null;
        var rest = pictures[1..].Select(p => Task.Run(() => encoder.Encode(Phi3VisionFixture.Prompt, [p]).Images.Features)).ToArray();
        while (batcher.Pending < 3)
        {
            await Task.Yield();
        }

        held.Set();
        var features = await Task.WhenAll([first, .. rest]);
        Assert.Equal(6, batcher.Runs);
        for (var i = 0; i < pictures.Length; i++)
        {
            Assert.Equal(alone[i], features[i]);
        }
    }

    [Fact]
    public async Task ARequestThatLeavesWhileWaitingIsDroppedAndTheOthersAreServed()
    {
        using var model = Phi3VisionServing.Load(_fixture.Folder, slots: 4);
        var encoder = (Phi3VisionEncoder)model.Vision!;
        var batcher = encoder.Batcher;
        var red = Phi3VisionServing.Decode(TestImages.Png(SKColors.Red));
        var blue = Phi3VisionServing.Decode(TestImages.Png(SKColors.Blue));
        var alone = encoder.Encode(Phi3VisionFixture.Prompt, [blue]).Images.Features;

        using var held = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        batcher.BeforeRun = () =>
        {
            started.Set();
            held.Wait();
        };
        var first = Task.Run(() => encoder.Encode(Phi3VisionFixture.Prompt, [red]).Images.Features);
        started.Wait();
        batcher.BeforeRun = null;
        using var leaving = new CancellationTokenSource();
        var left = Task.Run(() => encoder.Encode(Phi3VisionFixture.Prompt, [red], leaving.Token));
        var stays = Task.Run(() => encoder.Encode(Phi3VisionFixture.Prompt, [blue]).Images.Features);
        while (batcher.Pending < 2)
        {
            await Task.Yield();
        }

        leaving.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => left);
        held.Set();
        await first;
        Assert.Equal(alone, await stays);
        // The held run, then one for the request that stayed: the one that left took no part in it.
        Assert.Equal(3, batcher.Runs);
    }
}

/// <summary>Janus's <c>prepare_inputs_embeds</c> image runs are shared across requests the same way.</summary>
public sealed class JanusVisionBatcherTests : IClassFixture<Janus.JanusFixture>
{
    private readonly Janus.JanusFixture _fixture;

    public JanusVisionBatcherTests(Janus.JanusFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task RequestsArrivingDuringARunShareTheNextAndEachGetsItsOwnRows()
    {
        using var model = Phi3VisionServing.Load(_fixture.Folder, slots: 4);
        var encoder = (Engine.Janus.JanusEncoder)model.Vision!;
        await VisionBatcherTests.ShareRunsAsync(encoder, encoder.Batcher);
    }
}
