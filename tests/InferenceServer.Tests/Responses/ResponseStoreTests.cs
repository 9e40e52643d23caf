using InferenceServer.Contracts.Responses;
using InferenceServer.Engine.Images;
using InferenceServer.Responses;
using InferenceServer.Vision;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace InferenceServer.Tests.Responses;

public sealed class ResponseStoreTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ResponseStore _store;

    public ResponseStoreTests() =>
        _store = new ResponseStore(Options.Create(new ResponseStoreOptions { MaxStoredResponses = 3, StoredResponseLifetimeMinutes = 60 }), _time);

    private static ResponseObject Response(string id) => new() { Id = id, Model = "deepseek-chat" };

    [Fact]
    public void AStoredResponseLivesForItsLifetimeThenIsGone()
    {
        _store.Save("key-a", Response("resp_1"), []);
        _time.Advance(TimeSpan.FromMinutes(59));
        Assert.NotNull(_store.Find("key-a", "resp_1"));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(_store.Find("key-a", "resp_1"));
    }

    [Fact]
    public void AnotherKeyCanNeitherFindNorDeleteIt()
    {
        _store.Save("key-a", Response("resp_1"), []);
        Assert.Null(_store.Find("key-b", "resp_1"));
        Assert.False(_store.Delete("key-b", "resp_1"));
        Assert.True(_store.Delete("key-a", "resp_1"));
        Assert.Null(_store.Find("key-a", "resp_1"));
    }

    [Fact]
    public void OverTheCountTheOldestIsEvicted()
    {
        for (var i = 1; i <= 4; i++)
        {
            _store.Save("key-a", Response($"resp_{i}"), []);
        }

        Assert.Null(_store.Find("key-a", "resp_1"));
        Assert.All(new[] { "resp_2", "resp_3", "resp_4" }, id => Assert.NotNull(_store.Find("key-a", id)));
    }

    [Fact]
    public void OverThePictureBudgetTheOldestGoesAndAResponseWhosePicturesAloneAreMoreIsKeptWithoutThem()
    {
        var time = new FakeTimeProvider();
        var store = new ResponseStore(Options.Create(new ResponseStoreOptions { MaxStoredImageMiB = 1 }), time);
        var third = Pictures(1, 200_000); // 600 KB decoded
        store.Save("key-a", Response("resp_1"), [], third);
        store.Save("key-a", Response("resp_2"), [], third);
        // Two are 1.2 MB: over 1 MiB, so the first went.
        Assert.Null(store.Find("key-a", "resp_1"));
        Assert.Equal(third.Count, store.Find("key-a", "resp_2")!.Images.Count);
        Assert.Equal(600_000, store.ImageBytes);

        store.Save("key-a", Response("resp_3"), [], Pictures(2, 300_000)); // 1.8 MB alone
        Assert.Empty(store.Find("key-a", "resp_3")!.Images);
        Assert.NotNull(store.Find("key-a", "resp_2"));
        Assert.True(store.Delete("key-a", "resp_2"));
        Assert.Equal(0, store.ImageBytes);
    }

    [Fact]
    public void AFollowUpKeepsTheMostRecentWholePartsWithinTheBound()
    {
        var video = new ImagePart("input_video", "input[0].content[1]", "input[0].content[1].video_url", "data:video/mp4;base64,AAAA", null, ImageDetail.Auto);
        var image = new ImagePart("input_image", "input[0].content[2]", "input[0].content[2].image_url", "data:image/png;base64,AAAA", null, ImageDetail.Auto);
        DecodedImage Frame(ImagePart part) => new(part, "png", 1, 1, new RgbImage(1, 1, new byte[3]));
        IReadOnlyList<DecodedImage> earlier = [Frame(video), Frame(video), Frame(video), Frame(image)];
        var current = new[] { Frame(image with { PartParam = "input[0].content[0]" }) };

        var joined = ConversationImages.Join(earlier, current, max: 3, out var kept);
        // The video's three frames go together; the earlier image and this turn's stay.
        Assert.Equal(1, kept);
        Assert.Equal([earlier[3], current[0]], joined);

        var stored = ConversationImages.ForStore([.. earlier]);
        Assert.All(stored, i => Assert.Null(i.Part.Url));
        Assert.Same(stored[0].Part, stored[2].Part);
        Assert.NotSame(stored[2].Part, stored[3].Part);
    }

    private static List<DecodedImage> Pictures(int count, int pixels)
    {
        var part = new ImagePart("input_image", "input[0].content[1]", "input[0].content[1].image_url", null, null, ImageDetail.Auto);
        return [.. Enumerable.Range(0, count).Select(_ => new DecodedImage(part, "png", pixels, 1, new RgbImage(pixels, 1, new byte[pixels * 3])))];
    }
}
