using System.Collections.Concurrent;

namespace InferenceServer.Engine.Models;

/// <summary>The loaded models by served name (id and aliases). Filled once at start, read by every request.</summary>
public sealed class ModelRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, ServedModel> _byName = new(StringComparer.Ordinal);
    private readonly List<ServedModel> _ordered = [];
    private readonly List<TextModel> _models = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<ServedModel> Served
    {
        get
        {
            lock (_gate)
            {
                return [.. _ordered];
            }
        }
    }

    public IReadOnlyList<TextModel> Models
    {
        get
        {
            lock (_gate)
            {
                return [.. _models];
            }
        }
    }

    public void Add(TextModel model, IEnumerable<ServedModel> names)
    {
        lock (_gate)
        {
            var list = names.ToList();
            foreach (var served in list)
            {
                if (_byName.ContainsKey(served.Name))
                {
                    throw new ModelLoadException($"Model name '{served.Name}' is configured twice; ids and aliases must be unique.");
                }
            }

            foreach (var served in list)
            {
                _byName[served.Name] = served;
                _ordered.Add(served);
            }

            _models.Add(model);
        }
    }

    public bool TryResolve(string name, out ServedModel served) => _byName.TryGetValue(name, out served!);

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var m in _models)
            {
                m.Dispose();
            }

            _models.Clear();
        }
    }
}
