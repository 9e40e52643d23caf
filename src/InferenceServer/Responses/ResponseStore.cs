using InferenceServer.Contracts;
using InferenceServer.Contracts.Responses;
using Microsoft.Extensions.Options;

namespace InferenceServer.Responses;

/// <summary>
/// The responses made with <c>store: true</c>, in memory: bounded in count (oldest evicted) and lifetime, each
/// visible only to the API key that made it — to any other key it does not exist.
/// </summary>
public sealed class ResponseStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<StoredResponse>> _byId = new(StringComparer.Ordinal);
    private readonly LinkedList<StoredResponse> _oldestFirst = new();
    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly TimeSpan _lifetime;

    public ResponseStore(IOptions<ResponseStoreOptions> options, TimeProvider time)
    {
        _time = time;
        _capacity = options.Value.MaxStoredResponses;
        _lifetime = TimeSpan.FromMinutes(options.Value.StoredResponseLifetimeMinutes);
    }

    public void Save(string owner, ResponseObject response, IReadOnlyList<ChatMessageDto> conversation)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            RemoveExpired(now);
            while (_byId.Count >= _capacity && _oldestFirst.First is { } oldest)
            {
                Remove(oldest);
            }

            _byId[response.Id] = _oldestFirst.AddLast(new StoredResponse(owner, response, conversation, now + _lifetime));
        }
    }

    public StoredResponse? Find(string owner, string id)
    {
        lock (_lock)
        {
            RemoveExpired(_time.GetUtcNow());
            return _byId.TryGetValue(id, out var node) && node.Value.Owner == owner ? node.Value : null;
        }
    }

    public bool Delete(string owner, string id)
    {
        lock (_lock)
        {
            if (!_byId.TryGetValue(id, out var node) || node.Value.Owner != owner)
            {
                return false;
            }

            Remove(node);
            return true;
        }
    }

    // Every entry lives equally long, so insertion order is expiry order.
    private void RemoveExpired(DateTimeOffset now)
    {
        while (_oldestFirst.First is { } first && first.Value.Expires <= now)
        {
            Remove(first);
        }
    }

    private void Remove(LinkedListNode<StoredResponse> node)
    {
        _byId.Remove(node.Value.Response.Id);
        _oldestFirst.Remove(node);
    }
}
