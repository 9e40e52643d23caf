namespace InferenceServer.Account;

/// <summary>
/// Configuration section <c>Balance</c>: optional per-API-key token budgets. A key with a budget gets 402
/// "Insufficient Balance" once its tokens are used up; keys without one (and servers without budgets) are unlimited.
/// </summary>
public sealed class BalanceOptions
{
    /// <summary><c>USD</c> or <c>CNY</c>: the currency <c>GET /user/balance</c> reports in.</summary>
    public string Currency { get; set; } = "USD";

    /// <summary>What a million tokens (prompt plus completion) cost, to turn a token budget into a balance.</summary>
    public decimal PricePerMillionTokens { get; set; } = 1m;

    /// <summary>API key → tokens it may use (prompt plus completion) since the server started.</summary>
    public Dictionary<string, long> TokenBudgets { get; set; } = new(StringComparer.Ordinal);
}
