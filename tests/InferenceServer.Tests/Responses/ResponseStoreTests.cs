using InferenceServer.Contracts.Responses;
using InferenceServer.Responses;
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
}
