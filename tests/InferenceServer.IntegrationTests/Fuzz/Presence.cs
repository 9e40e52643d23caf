namespace InferenceServer.IntegrationTests.Fuzz;

/// <summary>How often a generated object leaves a field out.</summary>
public enum Presence
{
    Optional,

    /// <summary>Left out now and then (the request should then be refused).</summary>
    Required,

    /// <summary>Never left out: a bound the run depends on (max_tokens, steps).</summary>
    Always,
}
