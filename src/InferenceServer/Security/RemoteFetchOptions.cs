namespace InferenceServer.Security;

/// <summary>
/// Configuration section <c>RemoteFetch</c>: which remote URLs the server itself may download (e.g. an
/// <c>image_url</c> that is not a data URL). Empty allow-list (the default) ⇒ every server-side fetch is refused.
/// </summary>
public sealed class RemoteFetchOptions
{
    /// <summary>Host names (<c>images.example.com</c>) or suffix patterns (<c>*.example.com</c>).</summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Lets allow-listed hosts resolve to private, loopback or link-local addresses (an internal image store).</summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>The largest body fetched: 32 MiB, DeepSeek's limit per fetched image.</summary>
    public long MaxBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>How long one fetch may take, redirects included: 60 s per image, as DeepSeek.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How many redirects are followed; each target is checked again (scheme, allow-list, public address).</summary>
    public int MaxRedirects { get; set; } = 5;
}
