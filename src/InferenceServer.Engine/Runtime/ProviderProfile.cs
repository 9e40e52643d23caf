namespace InferenceServer.Engine.Runtime;

/// <summary>
/// One value of <c>Runtime:Profile</c>: the ONNX Runtime execution provider it selects, what to install or build when
/// the loaded runtime lacks it, and the provider options that provider documents (checked by name at start).
/// </summary>
/// <param name="Name">The profile name users configure (<c>cann</c>, <c>openvino</c>, …).</param>
/// <param name="Provider">The provider's name as <c>OrtEnv.GetAvailableProviders()</c> reports it.</param>
/// <param name="Install">What gives the server this provider, phrased to follow "Install" or "Use".</param>
/// <param name="OptionKeys">The provider option keys ONNX Runtime's source for this provider parses.</param>
/// <param name="DeviceIdKey">The option that <c>Runtime:DeviceId</c> sets, or null where the provider has none.</param>
public sealed record ProviderProfile(string Name, string Provider, string Install, IReadOnlyList<string> OptionKeys, string? DeviceIdKey)
{
    public const string CpuProvider = "CPUExecutionProvider";

    /// <summary>The first configured option this provider does not know, with the sentence that says so; null when all are known.</summary>
    public string? UnknownOption(IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            if (!OptionKeys.Contains(key, StringComparer.Ordinal))
            {
                return OptionKeys.Count == 0
                    ? $"Runtime:ProviderOptions:{key} is not an option of the '{Name}' profile, which takes no provider options."
                    : $"Runtime:ProviderOptions:{key} is not an option of the '{Name}' profile ({Provider}); its options are: {string.Join(", ", OptionKeys)}.";
            }
        }

        return null;
    }
}
