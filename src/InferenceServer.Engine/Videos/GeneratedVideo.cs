namespace InferenceServer.Engine.Videos;

/// <summary>Decoded frames, each RGB24 rows top to bottom (width × height × 3 bytes).</summary>
public sealed record GeneratedVideo(int Width, int Height, IReadOnlyList<byte[]> Frames, int Steps);
