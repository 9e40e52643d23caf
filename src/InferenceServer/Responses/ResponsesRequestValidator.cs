using InferenceServer.Chat;
using InferenceServer.Contracts.Responses;
using InferenceServer.Errors;

namespace InferenceServer.Responses;

/// <summary>Checks the fields only the Responses API has; the rest is checked by chat's validation after mapping.</summary>
internal static class ResponsesRequestValidator
{
    public const int MaxMetadataPairs = 16;
    public const int MaxMetadataKeyLength = 64;
    public const int MaxMetadataValueLength = 512;

    public static void Validate(ResponseCreateRequest r)
    {
        if (r.Metadata is { } metadata)
        {
            if (metadata.Count > MaxMetadataPairs)
            {
                throw ApiException.InvalidParameter("metadata", $"Too many metadata pairs: {metadata.Count}; at most {MaxMetadataPairs} are allowed.");
            }

            foreach (var (key, value) in metadata)
            {
                if (key.Length > MaxMetadataKeyLength || (value?.Length ?? 0) > MaxMetadataValueLength)
                {
                    throw ApiException.InvalidParameter("metadata",
                        $"Invalid metadata pair '{key}': keys are at most {MaxMetadataKeyLength} characters and values at most {MaxMetadataValueLength}.");
                }
            }
        }

        // The same effort names as chat's reasoning_effort (one mapping serves both), named by this API's field.
        if (r.Reasoning?.Effort is { } effort && !ReasoningEffort.TryNormalize(effort, out _))
        {
            throw ApiException.InvalidParameter("reasoning.effort", $"Invalid reasoning.effort '{effort}'; {ReasoningEffort.Expected}.");
        }

        if (r.MaxOutputTokens is < 1)
        {
            throw ApiException.InvalidParameter("max_output_tokens", $"Invalid max_output_tokens value {r.MaxOutputTokens}: it must be at least 1.");
        }
    }
}
