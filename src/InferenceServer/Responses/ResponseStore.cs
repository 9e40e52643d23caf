using InferenceServer.Contracts;
using InferenceServer.Contracts.Responses;
using InferenceServer.Vision;
using Microsoft.Extensions.Options;

namespace InferenceServer.Responses;

/// <summary>
/// The responses made with <c>store: true</c>, in memory: bounded in count and in the bytes of their pictures (oldest
/// evicted) and in lifetime, each visible only to the API key that made it — to any other key it does not exist.
/// </summary>
public sealed class ResponseStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<StoredResponse>> _byId = new(StringComparer.Ordinal);
    private readonly LinkedList<StoredResponse> _oldestFirst = new();
    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly TimeSpan _lifetime;
    private readonly long _imageBudget;
    private long _imageBytes;

    public ResponseStore(IOptions<ResponseStoreOptions> options, TimeProvider time)
    {
        _time = time;
        _capacity = options.Value.MaxStoredResponses;
        _lifetime = TimeSpan.FromMinutes(options.Value.StoredResponseLifetimeMinutes);
        _imageBudget = options.Value.MaxStoredImageMiB * 1024L * 1024L;
    }

    /// <summary>Bytes of decoded pictures the stored responses hold, all together (each response counts its whole list).</summary>
    public long ImageBytes
    {
        get
        {
            lock (_lock)
            {
                return _imageBytes;
            }
        }
    }

    /// <summary>Keeps a response; <paramref name="images"/> are its conversation's pictures, dropped when they alone pass the budget.</summary>
    public void Save(string owner, ResponseObject response, IReadOnlyList<ChatMessageDto> conversation, IReadOnlyList<DecodedImage>? images = null)
    {
        var now = _time.GetUtcNow();
        var stored = new StoredResponse(owner, response, conversation, now + _lifetime) { Images = images ?? [] };
        if (stored.ImageBytes > _imageBudget)
        {
            stored = stored with { Images = [] };
        }

        lock (_lock)
        {
            RemoveExpired(now);
            while ((_byId.Count >= _capacity || _imageBytes + stored.ImageBytes > _imageBudget) && _oldestFirst.First is { } oldest)
            {
                Remove(oldest);
            }

            _byId[response.Id] = _oldestFirst.AddLast(stored);
            _imageBytes += stored.ImageBytes;
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
        _imageBytes -= node.Value.ImageBytes;
        _byId.Remove(node.Value.Response.Id);
        _oldestFirst.Remove(node);
    }
}
