namespace InferenceServer.Playground;

/// <summary>The <c>Playground</c> section: the web page at <c>/</c> and <c>/playground</c>.</summary>
public sealed class PlaygroundOptions
{
    /// <summary>False: <c>/</c> and <c>/playground</c> answer 404 like any unknown route.</summary>
    public bool Enabled { get; set; } = true;
}
