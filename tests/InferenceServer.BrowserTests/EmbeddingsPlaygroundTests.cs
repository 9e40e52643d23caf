using System.Globalization;
using InferenceServer.BrowserTests.Infrastructure;
using InferenceServer.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace InferenceServer.BrowserTests;

[Collection(PlaygroundCollection.Name)]
public sealed class EmbeddingsPlaygroundTests(PlaygroundFixture fixture)
{
    private static readonly string[] Sentences = ["The cat sits on the mat.", "A cat is sitting on a rug.", "Stock markets fell sharply today."];

    [SkippableFact]
    public async Task Sentences_become_an_n_by_n_heat_map_of_the_servers_cosine_similarities()
    {
        Skip.IfNot(Chromium.Installed, Chromium.MissingReason);
        await using var session = await PlaygroundSession.OpenAsync(fixture.Browser, fixture.Server.BaseAddress);
        await session.RunAsync(async () =>
        {
            await session.ModelsAnsweredAsync();
            await session.TabAsync("embeddings");
            await session.Id("embed-input").FillAsync(string.Join('\n', Sentences));
            await session.Id("embed-run").ClickAsync();

            var cells = session.Page.Locator("#embed-heatmap .cell");
            await Assertions.Expect(cells).ToHaveCountAsync(Sentences.Length * Sentences.Length);
            var expected = await CosinesAsync();
            for (var i = 0; i < Sentences.Length; i++)
            {
                for (var j = 0; j < Sentences.Length; j++)
                {
                    var shown = await session.Page.Locator($"#embed-heatmap .cell[data-row='{i}'][data-column='{j}']").TextContentAsync();
                    if (i == j)
                    {
                        Assert.Equal("1.00", shown);
                    }
                    else
                    {
                        // Two decimals of the cosine the server's vectors give.
                        Assert.Matches(@"^-?\d\.\d\d$", shown);
                        Assert.InRange(double.Parse(shown!, CultureInfo.InvariantCulture), expected[i, j] - 0.0051, expected[i, j] + 0.0051);
                    }
                }
            }

            // The two sentences about a cat are closer to each other than either is to the markets.
            Assert.True(expected[0, 1] > expected[0, 2] && expected[0, 1] > expected[1, 2]);
        });
    }

    private async Task<double[,]> CosinesAsync()
    {
        var (_, body) = await fixture.Server.Client.PostJsonAsync("embeddings", new { model = PlaygroundFixture.EmbeddingModel, input = Sentences });
        var vectors = body.GetProperty("data").EnumerateArray()
            .OrderBy(d => d.GetProperty("index").GetInt32())
            .Select(d => d.GetProperty("embedding").EnumerateArray().Select(x => x.GetDouble()).ToArray()).ToArray();
        var result = new double[vectors.Length, vectors.Length];
        for (var i = 0; i < vectors.Length; i++)
        {
            for (var j = 0; j < vectors.Length; j++)
            {
                double dot = 0, a = 0, b = 0;
                for (var k = 0; k < vectors[i].Length; k++)
                {
                    dot += vectors[i][k] * vectors[j][k];
                    a += vectors[i][k] * vectors[i][k];
                    b += vectors[j][k] * vectors[j][k];
                }

                result[i, j] = dot / (Math.Sqrt(a) * Math.Sqrt(b));
            }
        }

        return result;
    }
}
