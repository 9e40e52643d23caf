namespace InferenceServer.Engine.Generation;

/// <summary>
/// A picture to draw token by token: the prompt and its unconditional twin (same length, both ending with the image
/// start tag), the image tokens to draw, the guidance weight and the seed of the draws.
/// </summary>
/// <param name="TokenDrawn">Called on the scheduler's thread after each drawn token (a counter; keep it short).</param>
internal sealed record DrawingRequest(int[] Prompt, int[] Unconditional, int ImageTokens, float Guidance, int Seed, Action? TokenDrawn = null)
{
    /// <summary>The image start tag both prompts end with.</summary>
    public int StartToken => Prompt[^1];
}
