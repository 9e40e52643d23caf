using System.Collections.Concurrent;

namespace InferenceServer.Videos;

/// <summary>The loaded video models by served name (id and aliases). Filled once at start.</summary>
public sealed class VideoModels : IDisposable
{
    private readonly ConcurrentDictionary<string, ServedVideoModel> _byName = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ServedVideoModel> _ordered = new();

    public IReadOnlyList<ServedVideoModel> All => [.. _ordered];

    public void Add(ServedVideoModel model)
    {
        foreach (var name in (string[])[model.Id, .. model.Options.Aliases])
        {
            if (!_byName.TryAdd(name, model))
            {
                throw new Engine.Models.ModelLoadException($"Video model name '{name}' is configured twice; ids and aliases must be unique.");
            }
        }

        _ordered.Enqueue(model);
    }

    /// <summary>The named model; with no name, the first one configured.</summary>
    public bool TryResolve(string? name, out ServedVideoModel model)
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
