namespace InferenceServer.Benchmarks.Soak;

/// <summary>One kind of request in the soak mix: its name, how often it is drawn, and what it expects.</summary>
/// <param name="Name">the row label in the report</param>
/// <param name="Weight">relative frequency in the mix</param>
/// <param name="Send">sends one request; returns true when the answer was what a client expects</param>
internal sealed record SoakOperation(string Name, int Weight, Func<HttpClient, CancellationToken, Task<bool>> Send);
