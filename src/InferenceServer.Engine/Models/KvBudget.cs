using System.Globalization;

namespace InferenceServer.Engine.Models;

/// <summary>
/// The KV cache's size for one model: positions all running sequences together may hold, and the context one
/// sequence may use (the configured cap, cut to what the budget holds).
/// </summary>
/// <param name="Tokens">Positions of the budget, all sequences together.</param>
/// <param name="Context">Prompt + output cap of one sequence: <c>MaxContextLength</c>, or what the budget holds if less.</param>
/// <param name="Derived">True when <c>KvCacheMiB</c> was 0 and the size was derived from the model and the machine.</param>
public sealed record KvBudget(long Tokens, int Context, bool Derived)
{
    /// <summary>The smallest context a budget must hold (the options' floor for <c>MaxContextLength</c>).</summary>
    public const int MinimumContext = 16;

    /// <summary>Share of the machine's memory a derived budget takes at most (weights and everything else need the rest).</summary>
    public const int MachineShareDivisor = 4;

    /// <summary>
    /// <c>KvCacheMiB</c> when set; otherwise enough for <c>MaxConcurrentSequences</c> full contexts, at most a quarter
    /// of the memory this process may use (its cgroup limit or the machine's), and at least one full context. A set
    /// size that holds fewer than <see cref="MinimumContext"/> tokens, or more than the machine has, stops the start.
    /// </summary>
    public static KvBudget For(ModelOptions options, int context, long bytesPerToken, long machineBytes)
    {
        if (options.KvCacheMiB > 0)
        {
            var bytes = options.KvCacheMiB * 1024L * 1024L;
            if (bytes > machineBytes)
            {
                throw new ModelLoadException(string.Create(CultureInfo.InvariantCulture,
                    $"Model '{options.Id}': KvCacheMiB {options.KvCacheMiB} is more than the {machineBytes / (1024 * 1024)} MiB of memory this process may use; lower it, or set 0 to derive it from the machine."));
            }

            var tokens = bytes / bytesPerToken;
            if (tokens < MinimumContext)
            {
                throw new ModelLoadException(string.Create(CultureInfo.InvariantCulture,
                    $"Model '{options.Id}': KvCacheMiB {options.KvCacheMiB} holds {tokens} tokens of this model ({bytesPerToken} bytes each); at least {MinimumContext} are needed, which takes {Math.Ceiling(MinimumContext * bytesPerToken / (1024.0 * 1024.0))} MiB."));
            }

            return new KvBudget(tokens, (int)Math.Min(context, tokens), Derived: false);
        }

        var share = machineBytes / MachineShareDivisor / bytesPerToken;
        var derived = Math.Max(context, Math.Min((long)options.MaxConcurrentSequences * context, share));
        return new KvBudget(derived, context, Derived: true);
    }

    /// <summary>The memory this process may use: its container's limit where there is one, else the machine's.</summary>
    public static long MachineBytes() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
}
