using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using Microsoft.Extensions.Options;

namespace InferenceServer.Hosting;

/// <summary>Start-up checks of configuration: each failure names the key and the values it accepts.</summary>
internal sealed class OptionsValidators :
    IValidateOptions<ServerOptions>, IValidateOptions<ExecutionProfileOptions>, IValidateOptions<ModelCatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options) =>
        OneOf("Server:LogFormat", options.LogFormat, ServerOptions.LogFormats)
        ?? (string.IsNullOrWhiteSpace(options.ModelCacheDirectory)
            ? ValidateOptionsResult.Fail("Server:ModelCacheDirectory must be a folder path.")
            : null)
        ?? (options.KeepAliveIntervalSeconds is <= 0 or > 300
            ? ValidateOptionsResult.Fail("Server:KeepAliveIntervalSeconds must be more than 0 and at most 300.")
            : ValidateOptionsResult.Success);

    public ValidateOptionsResult Validate(string? name, ExecutionProfileOptions options) =>
        OneOf("Runtime:Profile", options.Profile, ExecutionProfileOptions.KnownProfiles)
        ?? OneOf("Runtime:Fallback", options.Fallback, ExecutionProfileOptions.KnownFallbacks)
        ?? (ProviderProfiles.Find(options.Profile)!.UnknownOption(options.ProviderOptions.Keys) is { } unknown
            ? ValidateOptionsResult.Fail(unknown)
            : null)
        ?? (options.DisableCpuFallback && ProviderProfiles.Find(options.Profile) == ProviderProfiles.Cpu
            ? ValidateOptionsResult.Fail("Runtime:DisableCpuFallback refuses every graph node placed on CPU, so it cannot go with Runtime:Profile 'cpu'; "
                + "use it with an accelerator profile (cann, openvino, qnn, …).")
            : null)
        ?? (options.IntraOpThreads < 0 || options.InterOpThreads < 0
            ? ValidateOptionsResult.Fail("Runtime:IntraOpThreads and Runtime:InterOpThreads must be 0 (automatic) or a positive number.")
            : ValidateOptionsResult.Success);

    public ValidateOptionsResult Validate(string? name, ModelCatalogOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.Models.Count; i++)
        {
            var m = options.Models[i];
            var key = $"Models:{i}";
            if (string.IsNullOrWhiteSpace(m.Id))
            {
                failures.Add($"{key}:Id is required (the name clients send as 'model').");
            }

            if (string.IsNullOrWhiteSpace(m.Path))
            {
                failures.Add($"{key}:Path is required (the model folder).");
            }

            if (!ModelOptions.Kinds.Contains(m.Kind))
            {
                failures.Add($"{key}:Kind '{m.Kind}' is not known; use one of: {string.Join(", ", ModelOptions.Kinds)}.");
            }

            if (m.BatchSize is < 1 or > 1024)
            {
                failures.Add($"{key}:BatchSize must be between 1 and 1024 (inputs per ONNX run of an embedding model).");
            }

            if (m.MaxConcurrentBatches < 1)
            {
                failures.Add($"{key}:MaxConcurrentBatches must be at least 1.");
            }

            if (!ModelOptions.ThinkingModes.Contains(m.Thinking))
            {
                failures.Add($"{key}:Thinking '{m.Thinking}' is not known; use one of: {string.Join(", ", ModelOptions.ThinkingModes)}.");
            }

            if (m.MaxContextLength < 16)
            {
                failures.Add($"{key}:MaxContextLength must be at least 16 tokens.");
            }

            if (m.MaxConcurrentSequences is < 1 or > 256)
            {
                failures.Add($"{key}:MaxConcurrentSequences must be between 1 and 256.");
            }

            if (m.KvCacheMiB < 0)
            {
                failures.Add($"{key}:KvCacheMiB must be 0 (derived from the model and the machine) or a size in MiB.");
            }

            if (m.PrefillChunkTokens < 1)
            {
                failures.Add($"{key}:PrefillChunkTokens must be at least 1.");
            }

            if (m.MaxQueuedRequests < 0 || m.MaxQueuedTokens < 0)
            {
                failures.Add($"{key}:MaxQueuedRequests and {key}:MaxQueuedTokens must be 0 or more.");
            }

            if (m.QueueTimeoutSeconds < 1)
            {
                failures.Add($"{key}:QueueTimeoutSeconds must be at least 1.");
            }

            if (m.Speculation.MaxDraftTokens is < 0 or > 64 || m.Speculation.NgramSize is < 1 or > 16 || m.Speculation.MaxBatch is < 0 or > 256)
            {
                failures.Add($"{key}:Speculation needs MaxDraftTokens 0 (off) to 64, NgramSize 1 to 16 and MaxBatch 0 (off) to 256.");
            }

            if (m.PrefixCacheMiB < 0)
            {
                failures.Add($"{key}:PrefixCacheMiB must be 0 (off) or more.");
            }

            if (m.PrefixCacheDiskMiB < 1)
            {
                failures.Add($"{key}:PrefixCacheDiskMiB must be at least 1 (leave PrefixCacheDirectory empty to keep the cache in memory only).");
            }

            if (m.OnnxVariant.Any(c => !char.IsAsciiLetterOrDigit(c)))
            {
                failures.Add($"{key}:OnnxVariant '{m.OnnxVariant}' must be letters and digits only, the suffix of a graph's file name (q4 for onnx/language_model_q4.onnx).");
            }

            for (var a = 0; a < m.Aliases.Count; a++)
            {
                if (string.IsNullOrWhiteSpace(m.Aliases[a].Name))
                {
                    failures.Add($"{key}:Aliases:{a}:Name is required.");
                }

                if (m.Aliases[a].Thinking is { Length: > 0 } t && t is not ("enabled" or "disabled"))
                {
                    failures.Add($"{key}:Aliases:{a}:Thinking '{t}' is not known; use 'enabled' or 'disabled'.");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static ValidateOptionsResult? OneOf(string key, string value, IReadOnlyList<string> allowed) =>
        allowed.Contains(value, StringComparer.OrdinalIgnoreCase)
            ? null
            : ValidateOptionsResult.Fail($"{key} '{value}' is not valid; use one of: {string.Join(", ", allowed)}.");
}
