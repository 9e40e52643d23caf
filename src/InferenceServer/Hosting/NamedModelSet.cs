using System.Collections.Concurrent;

namespace InferenceServer.Hosting;

/// <summary>
/// Loaded models of one kind (image, video) by served name (id and aliases), in configuration order. Filled once at
/// start, read by every request of that kind; disposing it releases every model.
/// </summary>
public abstract class NamedModelSet<TModel> : IDisposable
    where TModel : class
{
    private readonly ConcurrentDictionary<string, TModel> _byName = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<TModel> _ordered = new();
    private readonly string _kind;

    /// <param name="kind">The kind as it starts a sentence (<c>Image</c>, <c>Video</c>).</param>
    protected NamedModelSet(string kind) => _kind = kind;

    public IReadOnlyList<TModel> All => [.. _ordered];

    /// <summary>Every served name (ids and aliases) with its model, in configuration order, each id before its aliases.</summary>
    public IReadOnlyList<(string Name, TModel Model)> Served
    {
        get
        {
            var order = _ordered.ToList();
            return [.. _byName.OrderBy(p => order.IndexOf(p.Value)).ThenBy(p => p.Key != IdOf(p.Value)).Select(p => (p.Key, p.Value))];
        }
    }

    public void Add(TModel model, IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            if (!_byName.TryAdd(name, model))
            {
                throw new Engine.Models.ModelLoadException($"{_kind} model name '{name}' is configured twice; ids and aliases must be unique.");
            }
        }

        _ordered.Enqueue(model);
    }

    /// <summary>The named model; with no name, the first one configured.</summary>
    public bool TryResolve(string? name, out TModel model)
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
            Release(model);
        }

        GC.SuppressFinalize(this);
    }

    protected abstract string IdOf(TModel model);

    /// <summary>Releases one model's sessions.</summary>
    protected abstract void Release(TModel model);
}
