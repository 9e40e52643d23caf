namespace InferenceServer.Playground;

/// <summary>The <c>Playground</c> section: the web page at <c>/</c> and <c>/playground</c>.</summary>
public sealed class PlaygroundOptions
{
    /// <summary>False: <c>/</c> and <c>/playground</c> answer 404 like any unknown route.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A <c>Playground:Enabled</c> that is not a boolean, kept for the validator's message.</summary>
    internal string? UnparsedEnabled { get; set; }
}
