using System.Collections.Concurrent;

namespace InferenceServer.Images;

/// <summary>The loaded image models by served name (id and aliases). Filled once at start, read by every image request.</summary>
public sealed class ImageModels : IDisposable
{
    private readonly ConcurrentDictionary<string, ServedImageModel> _byName = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ServedImageModel> _ordered = new();

    public IReadOnlyList<ServedImageModel> All => [.. _ordered];

    /// <summary>Every served name (ids and aliases) with its model, in configuration order.</summary>
    public IReadOnlyList<(string Name, ServedImageModel Model)> Served
    {
        get
        {
            var order = _ordered.ToList();
            return [.. _byName.OrderBy(p => order.IndexOf(p.Value)).ThenBy(p => p.Key != p.Value.Id).Select(p => (p.Key, p.Value))];
        }
    }

    public void Add(ServedImageModel model, IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            if (!_byName.TryAdd(name, model))
            {
                throw new Engine.Models.ModelLoadException($"Image model name '{name}' is configured twice; ids and aliases must be unique.");
            }
        }

        _ordered.Enqueue(model);
    }

    /// <summary>The named model; with no name, the first one configured.</summary>
    public bool TryResolve(string? name, out ServedImageModel model)
    {
        if (string.IsNullOrEmpty(name))
        {
            model = _ordered.TryPeek(out var first) ? first : null!;
            return model is not null;
        }

        return _byName.TryGetValue(name, out model!);
    }

    public void Dispose()
    {
        foreach (var model in _ordered)
        {
            model.Pipeline.Dispose();
        }
    }
}
