namespace InferenceServer.ModelForge;

/// <summary>Marker for the ModelForge assembly.</summary>
public static class ForgeAssembly
{
    public const string Name = "InferenceServer.ModelForge";
}
