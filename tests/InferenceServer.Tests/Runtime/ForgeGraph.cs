using InferenceServer.ModelForge;
using InferenceServer.Tests.Generation;

namespace InferenceServer.Tests.Runtime;

/// <summary>The forge's random decoder graph (real GQA decoder layout), for tests that need a session and nothing else.</summary>
internal static class ForgeGraph
{
    public static string Path => System.IO.Path.Combine(DemoModels.EnsureRandom(SchedulerFixture.Cache), "model.onnx");
}
