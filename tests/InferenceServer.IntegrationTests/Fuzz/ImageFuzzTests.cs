using InferenceServer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace InferenceServer.IntegrationTests.Fuzz;

/// <summary>
/// The fuzz suite on the image routes with the forge diffusion model: generated generations and multipart edits /
/// variations (hostile images, broken multipart), and a corpus of structural attacks. Sent one at a time: the fixture
/// admits two and queues none, so a 503 here would be a fault, not load.
/// </summary>
[Collection(ImageServerCollection.Name)]
public sealed class ImageFuzzTests
{
    private const string Sound = "{\"prompt\":\"Hi\",\"size\":\"64x64\",\"steps\":1,\"n\":1}";

    private readonly Uri _server;
    private readonly FuzzRun _run;

    public ImageFuzzTests(ImageServerFixture fixture, ITestOutputHelper output)
    {
        _server = fixture.Server.BaseAddress;
        _run = new FuzzRun(_server, output);
    }

    [Fact]
    public async Task Generated_requests_get_an_envelope_and_never_a_5xx()
    {
        await _run.GenerateAsync(ImageGens.Generations, FuzzSettings.Iterations(40), stream: 6);
        await _run.GenerateAsync(ImageGens.Uploads, FuzzSettings.Iterations(60), stream: 7);

        await StillServing.AssertImageAsync(_server);
        _run.AssertClean("image schemas");
    }

    [Fact]
    public async Task Hostile_images_broken_multipart_and_structural_attacks_get_an_envelope()
    {
        await _run.SendAllAsync(BodyAttacks.For("images/generations", "v1/images/generations", Sound));
        await _run.SendAllAsync(UploadAttacks.All());

        await StillServing.AssertImageAsync(_server);
        _run.AssertClean("image attacks");
    }
}
