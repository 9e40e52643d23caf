namespace InferenceServer.Contracts;

/// <summary><c>GET /user/balance</c>, DeepSeek's shape.</summary>
public sealed class BalanceResponse
{
    /// <summary>Whether this key may make API calls now.</summary>
    public required bool IsAvailable { get; init; }

    /// <summary>One entry for a key with a budget; empty when the key is unlimited.</summary>
    public required List<BalanceInfo> BalanceInfos { get; init; }
}
