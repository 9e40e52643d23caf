using System.Text.Json.Serialization;
using InferenceServer.Contracts.Json;

namespace InferenceServer.Contracts;

/// <summary>Body of <c>POST /beta/completions</c> and <c>/v1/completions</c>: raw text completion, or FIM with <c>suffix</c>.</summary>
public sealed class CompletionRequest
{
    public string? Model { get; set; }

    /// <summary>The text to continue (a one-element array is accepted too).</summary>
    [JsonConverter(typeof(StringOrArrayConverter))]
    public List<string>? Prompt { get; set; }

    /// <summary>FIM: the text after the hole; the model writes what goes between <c>prompt</c> and <c>suffix</c>.</summary>
    public string? Suffix { get; set; }

    /// <summary>Return the prompt before the completion.</summary>
    public bool? Echo { get; set; }

    /// <summary>Number of most likely alternatives to report per token, 0–20.</summary>
    public int? Logprobs { get; set; }

    public int? MaxTokens { get; set; }

    [JsonConverter(typeof(StringOrArrayConverter))]
    public List<string>? Stop { get; set; }

    public bool? Stream { get; set; }

    public StreamOptionsDto? StreamOptions { get; set; }

    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    public double? FrequencyPenalty { get; set; }

    public double? PresencePenalty { get; set; }

    public long? Seed { get; set; }

    /// <summary>Choices to generate from the one prompt (FIM too), 1 to <c>Limits:MaxChoices</c> (default 8); choice k of a seeded request samples with seed + k.</summary>
    public int? N { get; set; }

    public string? User { get; set; }
}
