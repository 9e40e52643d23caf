using InferenceServer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace InferenceServer.IntegrationTests.Fuzz;

/// <summary>The fuzz suite on /embeddings with the real MiniLM model: generated requests and structural attacks.</summary>
[Collection(EmbeddingServerCollection.Name)]
public sealed class EmbeddingFuzzTests
{
    private const string Sound = "{\"model\":\"" + EmbeddingServerFixture.Model + "\",\"input\":\"Hi\"}";

    private const string ArraySound = "{\"model\":\"text-embedding-3-small\",\"input\":[\"Hi\",\"there\"],\"encoding_format\":\"base64\",\"dimensions\":8,\"user\":\"u\"}";
    private const string TokenSound = "{\"model\":\"" + EmbeddingServerFixture.Model + "\",\"input\":[[101,2023],[7592]]}";

    private readonly Uri _server;
    private readonly FuzzRun _run;

    public EmbeddingFuzzTests(EmbeddingServerFixture fixture, ITestOutputHelper output)
    {
        _server = fixture.Server.BaseAddress;
        _run = new FuzzRun(_server, output);
    }

    [Fact]
    public async Task Generated_and_structural_attacks_get_an_envelope_and_never_a_5xx()
    {
        await _run.GenerateAsync(EmbeddingGens.Cases, FuzzSettings.Iterations(80), stream: 5);
        await _run.SendAllAsync(BodyAttacks.For("embeddings", "v1/embeddings", Sound));
        await _run.SendAllAsync(LeafAttacks.EveryField(ArraySound).Concat(LeafAttacks.EveryField(TokenSound)).Select(a => FuzzCase.Json("embeddings", a.Label, "embeddings", a.Body)));
        await _run.SendAllAsync(BodyAttacks.ContentTypes("embeddings", "embeddings", Sound));

        await StillServing.AssertEmbeddingAsync(_server);
        await StillServing.AssertChatAsync(_server);
        _run.AssertClean("embeddings");
    }
}
