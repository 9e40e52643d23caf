using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace InferenceServer.Account;

/// <summary>Tokens used per API key since start, against the configured budgets. Thread-safe.</summary>
public sealed class TokenLedger
{
    private readonly BalanceOptions _options;
    private readonly ConcurrentDictionary<string, long> _used = new(StringComparer.Ordinal);

    public TokenLedger(IOptions<BalanceOptions> options) => _options = options.Value;

    public BalanceOptions Options => _options;

    /// <summary>Tokens left for <paramref name="key"/>, or null when it has no budget.</summary>
    public long? Remaining(string? key) =>
        key is not null && _options.TokenBudgets.TryGetValue(key, out var budget)
            ? Math.Max(0, budget - _used.GetValueOrDefault(key))
            : null;

    public void Charge(string? key, long tokens)
    {
        if (key is not null && _options.TokenBudgets.ContainsKey(key))
        {
            _used.AddOrUpdate(key, tokens, (_, used) => used + tokens);
        }
    }

    /// <summary>The API key of a request: <c>Authorization: Bearer …</c>, else <c>x-api-key</c>.</summary>
    public static string? KeyOf(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        var key = request.Headers["x-api-key"].ToString();
        return key.Length > 0 ? key : null;
    }
}
