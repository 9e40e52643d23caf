using System.Net;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

/// <summary>The real MiniLM weights through our tokenizer and session give the vectors the model is known for.</summary>
[Collection(EmbeddingServerCollection.Name)]
public sealed class EmbeddingQualityTests
{
    /// <summary>Each sentence, a paraphrase of it, and an unrelated sentence.</summary>
    private static readonly (string Sentence, string Paraphrase, string Unrelated)[] Triples =
    [
        ("A man is playing a guitar.", "Someone is strumming a guitar.", "The stock market fell sharply today."),
        ("How do I reset my password?", "What are the steps to change my forgotten password?", "The recipe calls for two cups of flour."),
        ("The cat is sleeping on the sofa.", "A cat naps on the couch.", "Quarterly revenue grew by ten percent."),
        ("It is raining heavily outside.", "There is a downpour outside right now.", "She bought a new laptop for work."),
        ("The train to London was delayed.", "The London train arrived late.", "He planted tomatoes in the garden."),
        ("Can you recommend a good Italian restaurant?", "Where can I find a nice place for Italian food?", "The spacecraft entered orbit around Mars."),
        ("The children are playing football in the park.", "Kids are kicking a soccer ball around the park.", "The bank raised interest rates again."),
        ("I need to see a doctor about my headache.", "My head hurts and I should visit a physician.", "The museum opens at nine in the morning."),
        ("The company announced record profits this year.", "This year the firm reported its highest earnings ever.", "A dog chased the ball across the beach."),
        ("Please turn off the lights when you leave.", "Switch the lights off on your way out.", "Volcanoes form where tectonic plates meet."),
        ("The movie was boring and far too long.", "The film dragged on and was dull.", "Photosynthesis converts sunlight into chemical energy."),
        ("She is learning to speak Japanese.", "She is studying the Japanese language.", "The plumber fixed the leaking pipe."),
    ];

    private readonly EmbeddingServerFixture _fixture;

    public EmbeddingQualityTests(EmbeddingServerFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task ParaphrasesAreCloserThanUnrelatedSentencesByAClearMargin()
    {
        var texts = Triples.SelectMany(t => new[] { t.Sentence, t.Paraphrase, t.Unrelated }).ToArray();
        var vectors = await EmbedAsync(new { model = EmbeddingServerFixture.Model, input = texts });
        for (var i = 0; i < Triples.Length; i++)
        {
            var paraphrase = Vectors.Cosine(vectors[3 * i], vectors[3 * i + 1]);
            var unrelated = Vectors.Cosine(vectors[3 * i], vectors[3 * i + 2]);
            Assert.True(paraphrase > 0.5, $"'{Triples[i].Sentence}' vs its paraphrase: cosine {paraphrase:F3}");
            Assert.True(paraphrase - unrelated > 0.4, $"'{Triples[i].Sentence}': paraphrase {paraphrase:F3}, unrelated {unrelated:F3}");
        }
    }

    [Fact]
    public async Task VectorsEqualTheReferencePipelineOnTheSameOnnxOutputs()
    {
        // Token ids from the package's own tokenizer, so the reference does not share our tokenizer either.
        var cases = PackageTokenized();
        using var reference = new ReferenceEmbedder(Path.Combine(_fixture.Folder, "model.onnx"));
        var fromText = await EmbedAsync(new { model = EmbeddingServerFixture.Model, input = cases.Select(c => c.Text).ToArray() });
        var fromIds = await EmbedAsync(new { model = EmbeddingServerFixture.Model, input = cases.Select(c => c.Ids).ToArray() });
        for (var i = 0; i < cases.Count; i++)
        {
            var expected = reference.Embed(cases[i].Ids);
            Assert.True(Vectors.MaxDifference(expected, fromText[i]) < 1e-5, $"'{cases[i].Text}' (text) differs by {Vectors.MaxDifference(expected, fromText[i]):E2}");
            Assert.True(Vectors.MaxDifference(expected, fromIds[i]) < 1e-5, $"'{cases[i].Text}' (ids) differs by {Vectors.MaxDifference(expected, fromIds[i]):E2}");
            Assert.Equal(1.0, Vectors.Norm(fromText[i]), 5);
        }
    }

    [Fact]
    public async Task ABatchGivesEachInputTheVectorItGetsAlone()
    {
        string[] texts = ["short", "a somewhat longer sentence with several more words in it than the others", "medium length text here", "x"];
        var together = await EmbedAsync(new { model = EmbeddingServerFixture.Model, input = texts });
        for (var i = 0; i < texts.Length; i++)
        {
            var alone = await EmbedAsync(new { model = EmbeddingServerFixture.Model, input = texts[i] });
            Assert.True(Vectors.MaxDifference(alone[0], together[i]) < 1e-5, $"'{texts[i]}' differs when batched");
        }
    }

    private async Task<float[][]> EmbedAsync(object request)
    {
        var (response, body) = await _fixture.Server.Client.PostJsonAsync("v1/embeddings", request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Vectors.FromResponse(body);
    }

    private static List<(string Text, int[] Ids)> PackageTokenized()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "minilm-wordpiece.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return [.. document.RootElement.GetProperty("cases").EnumerateArray()
            .Select(c => (c.GetProperty("text").GetString()!, c.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray()))];
    }
}
