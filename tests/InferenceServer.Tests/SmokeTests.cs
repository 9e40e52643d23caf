namespace InferenceServer.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void EngineAssemblyNameIsStable() => Assert.Equal("InferenceServer.Engine", Engine.EngineAssembly.Name);
}
