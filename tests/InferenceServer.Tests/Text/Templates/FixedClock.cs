namespace InferenceServer.Tests.Text.Templates;

/// <summary>The date generate.py pins strftime_now to: 2025-03-07 12:00 UTC.</summary>
internal sealed class FixedClock : TimeProvider
{
    public static readonly FixedClock Instance = new();

    public override DateTimeOffset GetUtcNow() => new(2025, 3, 7, 12, 0, 0, TimeSpan.Zero);
}
