namespace InferenceServer.Engine;

/// <summary>Marker for the engine assembly (used by hosts to locate embedded resources).</summary>
public static class EngineAssembly
{
    public const string Name = "InferenceServer.Engine";
}
