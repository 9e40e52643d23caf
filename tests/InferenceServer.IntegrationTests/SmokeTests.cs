namespace InferenceServer.IntegrationTests;

public sealed class SmokeTests
{
    [Fact]
    public void ForgeAssemblyNameIsStable() => Assert.Equal("InferenceServer.ModelForge", ModelForge.ForgeAssembly.Name);
}
