namespace InferenceServer.ModelForge;

/// <summary>TEMPORARY until the forge branches land.</summary>
public static class DemoModels
{
    public static string EnsureScripted(string cacheRoot) => throw new NotImplementedException(cacheRoot);
}
