using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Runtime;

/// <summary>
/// How a run's token ids reach the decoder graph: bound as <c>input_ids</c> (text models, <see cref="IdsInput"/>), or
/// turned into <c>inputs_embeds</c> by a model's embedding graph first (vision-language folders, where a row's image
/// features take the place of its negative placeholder ids).
/// </summary>
internal abstract class TokenInput : IDisposable
{
    /// <summary>The decoder input this binds.</summary>
    public abstract string Name { get; }

    /// <summary>True when binding the ids tensor once is enough (the binding reads the ids' memory at each run).</summary>
    public abstract bool BindsOnce { get; }

    /// <summary>
    /// Binds <paramref name="ids"/> (int64, batch × length) for the next decoder run; the rows of
    /// <paramref name="features"/> (hidden wide) replace the negative ids in order. <paramref name="run"/> is the run the embedding step belongs to (null only when <see cref="BindsOnce"/>). Returns what must live until that run ends.
    /// </summary>
    public abstract IDisposable? Bind(OrtIoBinding binding, OrtValue ids, ReadOnlyMemory<float> features, RunOptions? run);

    public virtual void Dispose()
    {
    }
}
