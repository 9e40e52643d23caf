using InferenceServer.Engine.Models;

namespace InferenceServer.Engine.Embeddings;

/// <summary>The loaded embedding models by served name (id and aliases). Filled once at start, read by every request.</summary>
public sealed class EmbeddingModelRegistry : IDisposable
{
    private readonly Dictionary<string, EmbeddingModel> _byName = new(StringComparer.Ordinal);
    private readonly List<(string Name, EmbeddingModel Model)> _served = [];
    private readonly Lock _gate = new();

    /// <summary>Every served name with its model, in configuration order.</summary>
    public IReadOnlyList<(string Name, EmbeddingModel Model)> Served
    {
        get
        {
            lock (_gate)
            {
                return [.. _served];
            }
        }
    }

    public void Add(EmbeddingModel model, IEnumerable<string> names)
    {
        lock (_gate)
        {
            var list = names.ToList();
            if (list.FirstOrDefault(_byName.ContainsKey) is { } taken)
            {
                throw new ModelLoadException($"Model name '{taken}' is configured twice; ids and aliases must be unique.");
            }

            foreach (var name in list)
            {
                _byName[name] = model;
                _served.Add((name, model));
            }
        }
    }

    public bool TryResolve(string name, out EmbeddingModel model)
    {
        lock (_gate)
        {
            return _byName.TryGetValue(name, out model!);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var model in _served.Select(s => s.Model).Distinct())
            {
                model.Dispose();
            }

            _served.Clear();
            _byName.Clear();
        }
    }
}
