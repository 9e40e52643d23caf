using InferenceServer.Engine.Embeddings;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.Tests.Text.Tokenization;
using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Tests.Embeddings;

public sealed class EmbeddingModelTests : IDisposable
{
    private readonly EmbeddingModel _model = EmbeddingModelLoader.Load(
        new ModelOptions { Id = "minilm", Path = MiniLmFolder.Location, Kind = "embedding", BatchSize = 3 },
        new SessionFactory(new ExecutionProfileOptions()));

    [Fact]
    public void ReadsTheFolderSettings()
    {
        Assert.Equal(384, _model.Dimensions);
        Assert.Equal(256, _model.MaxTokens);
        Assert.Equal(new EmbeddingPooling(PoolingMode.Mean, Normalize: true), _model.Pooling);
    }

    [Theory]
    [InlineData(new[] { 7592 }, new[] { 101, 7592, 102 })]
    [InlineData(new[] { 101, 7592, 102 }, new[] { 101, 7592, 102 })]
    [InlineData(new[] { 101, 7592 }, new[] { 101, 7592, 102 })]
    [InlineData(new[] { 102 }, new[] { 101, 102 })]
    [InlineData(new[] { 101 }, new[] { 101, 102 })]
    public void ClientTokenIdsGetClassifierAndSeparatorOnce(int[] ids, int[] expected) =>
        Assert.Equal(expected, _model.WithSpecialTokens(ids));

    [Fact]
    public async Task ChunksReturnVectorsInInputOrder()
    {
        string[] texts = ["one", "a much longer second input sentence", "three", "four four", "five"];
        var together = await _model.EmbedAsync([.. texts.Select(_model.Tokenize)], CancellationToken.None);
        for (var i = 0; i < texts.Length; i++)
        {
            var alone = await _model.EmbedAsync([_model.Tokenize(texts[i])], CancellationToken.None);
            Assert.Equal(alone[0], together[i], (a, b) => Math.Abs(a - b) < 1e-5);
        }
    }

    [Fact]
    public async Task ACancelledRequestRunsNothing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _model.EmbedAsync([_model.Tokenize("x")], cancelled.Token));
    }

    [Fact]
    public void CancellationReachesTheOnnxRunThroughTerminate()
    {
        // Past the model's own check: the session gets a cancelled token, sets RunOptions.Terminate, and ONNX Runtime stops.
        var path = Path.Combine(MiniLmFolder.Location, "model.onnx");
        using var session = new EmbeddingSession(new InferenceSession(path), path, configuredHiddenSize: null);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        int[][] sequences = [_model.Tokenize("terminate me")];
        var vectors = new float[1][];
        Assert.Throws<OperationCanceledException>(() => session.Run(sequences, [0], vectors, _model.Pooling, padId: 0, cancelled.Token));
        Assert.Null(vectors[0]);
        session.Run(sequences, [0], vectors, _model.Pooling, padId: 0, CancellationToken.None);
        Assert.Equal(384, vectors[0].Length);
    }

    [Fact]
    public async Task ASequencePastTheMaximumIsRefusedNotTruncated() =>
        await Assert.ThrowsAsync<ArgumentException>(() => _model.EmbedAsync([new int[257]], CancellationToken.None));

    public void Dispose() => _model.Dispose();
}
