namespace InferenceServer.Security;

/// <summary>Configuration section <c>Cors</c>: browser origins allowed to call the API. Empty (the default) ⇒ CORS off.</summary>
public sealed class CorsSettings
{
    public const string PolicyName = "configured";

    /// <summary>Origins such as <c>https://app.example.com</c>, or <c>*</c> for any.</summary>
    public List<string> AllowedOrigins { get; set; } = [];
}
