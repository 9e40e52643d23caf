namespace InferenceServer.Contracts;

/// <summary>A balance in one currency; amounts are decimal strings, as DeepSeek sends them.</summary>
public sealed class BalanceInfo
{
    public required string Currency { get; init; }

    public required string TotalBalance { get; init; }

    public required string GrantedBalance { get; init; }

    public required string ToppedUpBalance { get; init; }
}
