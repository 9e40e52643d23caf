namespace InferenceServer.Vision;

/// <summary>An image part's <c>detail</c>: <c>low</c> scales it to fit 512×512; the others keep its size.</summary>
public enum ImageDetail
{
    Auto,
    Low,
    High,
    Original,
}
