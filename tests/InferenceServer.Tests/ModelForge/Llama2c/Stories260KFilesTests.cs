using System.Security.Cryptography;
using InferenceServer.ModelForge.Llama2c;

namespace InferenceServer.Tests.ModelForge.Llama2c;

/// <summary>The weights embedded in ModelForge are byte for byte the published stories260K files, and read as its README says.</summary>
public sealed class Stories260KFilesTests
{
    [Fact]
    public void EmbeddedFilesHaveThePublishedHashes()
    {
        Assert.Equal("b0a507e7ad0f626624f17112325e66691f9076d622e1d3274d103d00299f2696", Convert.ToHexStringLower(SHA256.HashData(Stories260K.Checkpoint())));
        Assert.Equal("037cb335abb25d1fa9e8ecae30ed2a3a8ace9302862ebcdc05d51a6bbb10c312", Convert.ToHexStringLower(SHA256.HashData(Stories260K.Tokenizer())));
    }

    [Fact]
    public void TheCheckpointHasTheShapeItsReadmeGives()
    {
        var c = Llama2cCheckpoint.Read(Stories260K.Checkpoint());

        Assert.Equal((64, 172, 5, 8, 4, 512, 512, 8), (c.Dim, c.HiddenDim, c.Layers, c.Heads, c.KvHeads, c.VocabSize, c.SeqLen, c.HeadSize));
        Assert.True(c.SharedClassifier);
        Assert.Same(c.TokenEmbedding, c.Classifier);
    }

    [Fact]
    public void ATruncatedCheckpointIsRefusedWithAReason()
    {
        byte[] bytes = Stories260K.Checkpoint()[..4096];

        var e = Assert.Throws<InvalidDataException>(() => Llama2cCheckpoint.Read(bytes));
        Assert.Contains("ends early", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InterleavedRotaryRowsMoveToTheirHalfSplitPlaceInThePaddedHead()
    {
        // Head 8 padded to 16: element 2j goes to j, element 2j+1 to 8 + j; pads are 4..7 and 12..15.
        int[] rows = [.. Enumerable.Range(0, 8).Select(r => Llama2cConverter.HalfSplitRow(r, 8, 16))];
        Assert.Equal([0, 8, 1, 9, 2, 10, 3, 11], rows);
        Assert.Equal(16 + 8 + 3, Llama2cConverter.HalfSplitRow(8 + 7, 8, 16));
        Assert.Equal(16, Llama2cConverter.GraphHeadSize(8));
        Assert.Equal(64, Llama2cConverter.GraphHeadSize(64));
    }
}
