using InferenceServer.Security;
using Microsoft.Extensions.Options;

namespace InferenceServer.Hosting;

/// <summary>Start-up checks of the operations sections (auth, limits, shutdown, telemetry); each failure names its key.</summary>
internal sealed class OperationsOptionsValidators :
    IValidateOptions<ApiKeyOptions>, IValidateOptions<RateLimitOptions>, IValidateOptions<RequestLimitsOptions>,
    IValidateOptions<ShutdownOptions>, IValidateOptions<TelemetryOptions>, IValidateOptions<RemoteFetchOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options) =>
        options.KeysFile is { Length: > 0 } file && !File.Exists(file)
            ? ValidateOptionsResult.Fail($"Auth:KeysFile '{file}' does not exist; give a file with one API key per line, or remove the key.")
            : ValidateOptionsResult.Success;

    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        var failures = new List<string>();
        if (options.RequestsPerWindow < 0)
        {
            failures.Add("RateLimits:RequestsPerWindow must be 0 (off) or a positive number of requests.");
        }

        if (options.ConcurrentRequests < 0)
        {
            failures.Add("RateLimits:ConcurrentRequests must be 0 (off) or a positive number of requests.");
        }

        if (options.Window <= TimeSpan.Zero)
        {
            failures.Add("RateLimits:Window must be a positive time span such as 00:01:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public ValidateOptionsResult Validate(string? name, RequestLimitsOptions options)
    {
        var failures = new List<string>();
        foreach (var (key, value) in new[]
                 {
                     ("MaxChatBodyBytes", options.MaxChatBodyBytes), ("MaxEmbeddingsBodyBytes", options.MaxEmbeddingsBodyBytes),
                     ("MaxImagesBodyBytes", options.MaxImagesBodyBytes), ("MaxOtherBodyBytes", options.MaxOtherBodyBytes),
                     ("MaxFilesBodyBytes", options.MaxFilesBodyBytes), ("MaxRequestHeadersTotalBytes", options.MaxRequestHeadersTotalBytes),
                 })
        {
            if (value < 1024)
            {
                failures.Add($"Limits:{key} must be at least 1024 bytes.");
            }
        }

        if (options.RequestHeadersTimeout <= TimeSpan.Zero || options.KeepAliveTimeout <= TimeSpan.Zero)
        {
            failures.Add("Limits:RequestHeadersTimeout and Limits:KeepAliveTimeout must be positive time spans such as 00:00:30.");
        }

        if (options.MaxChoices is < 1 or > RequestLimitsOptions.MaxChoicesCeiling)
        {
            failures.Add($"Limits:MaxChoices must be between 1 and {RequestLimitsOptions.MaxChoicesCeiling}, not {options.MaxChoices}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public ValidateOptionsResult Validate(string? name, ShutdownOptions options) =>
        options.DrainTimeout < TimeSpan.Zero || options.AbortGrace <= TimeSpan.Zero
            ? ValidateOptionsResult.Fail("Shutdown:DrainTimeout must be 0 or a positive time span, and Shutdown:AbortGrace a positive one (e.g. 00:00:30).")
            : ValidateOptionsResult.Success;

    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        if (!TelemetryOptions.Protocols.Contains(options.OtlpProtocol, StringComparer.OrdinalIgnoreCase))
        {
            return ValidateOptionsResult.Fail($"Telemetry:OtlpProtocol '{options.OtlpProtocol}' is not valid; use one of: {string.Join(", ", TelemetryOptions.Protocols)}.");
        }

        return options.OtlpEndpoint is { Length: > 0 } e && !Uri.TryCreate(e, UriKind.Absolute, out _)
            ? ValidateOptionsResult.Fail($"Telemetry:OtlpEndpoint '{e}' is not an absolute URL such as http://otel-collector:4317.")
            : ValidateOptionsResult.Success;
    }

    public ValidateOptionsResult Validate(string? name, RemoteFetchOptions options) =>
        options.MaxBytes < 1 || options.Timeout <= TimeSpan.Zero || options.MaxRedirects < 0
            ? ValidateOptionsResult.Fail("RemoteFetch:MaxBytes must be positive, RemoteFetch:Timeout a positive time span and RemoteFetch:MaxRedirects 0 or more.")
            : ValidateOptionsResult.Success;
}
