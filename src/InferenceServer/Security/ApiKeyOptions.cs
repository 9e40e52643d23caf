namespace InferenceServer.Security;

/// <summary>
/// Configuration section <c>Auth</c>. No key at all ⇒ the API is open (and the start log says so); any key ⇒ every API
/// route needs one (<c>Authorization: Bearer</c> or <c>x-api-key</c>).
/// </summary>
public sealed class ApiKeyOptions
{
    /// <summary>Keys given in configuration or the environment (<c>Auth__Keys__0=...</c>).</summary>
    public List<string> Keys { get; set; } = [];

    /// <summary>A file with one key per line (blank lines and lines starting with <c>#</c> are skipped), e.g. a mounted secret.</summary>
    public string? KeysFile { get; set; }
}
