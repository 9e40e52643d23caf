using System.Text.RegularExpressions;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// deploy/docker/Dockerfile.cann agrees with the server: it builds the ONNX Runtime version the managed package needs,
/// with CANN, and points Runtime:NativeLibraryPath at the library it copies in. (Building it needs a CANN image and an
/// Ascend host; neither is here.)
/// </summary>
public sealed class CannImageTests
{
    private static readonly Dockerfile Cann = Dockerfile.Load(Repository.File("deploy", "docker", "Dockerfile.cann"));

    [Fact]
    public void TheImageSetsOnlyKeysTheServerReads()
    {
        Assert.All(Cann.Env.Keys.Where(k => k.Contains("__", StringComparison.Ordinal)),
            k => Assert.True(ConfigurationKeys.IsKnown(k), $"ENV {k} is not a key the server reads"));
        Assert.Equal("cann", Cann.Env["Runtime__Profile"]);
        Assert.Equal(["dotnet", "InferenceServer.dll"], Cann.Entrypoint);
        Assert.NotEqual("root", Cann.User);
        Assert.StartsWith("ascendai/cann:", Cann.RuntimeBase);
    }

    [Fact]
    public void ItBuildsTheManagedPackagesOnnxRuntimeVersionWithCannAndLoadsThatLibrary()
    {
        var packages = File.ReadAllText(Repository.File("Directory.Packages.props"));
        var managed = Regex.Match(packages, "\"Microsoft.ML.OnnxRuntime.Managed\" Version=\"([0-9.]+)\"").Groups[1].Value;
        Assert.Contains($"ARG ORT_VERSION=v{managed}", Cann.Text);
        Assert.Contains("./build.sh --config Release --build_shared_lib --parallel --use_cann", Cann.Text);

        var library = Cann.Env["Runtime__NativeLibraryPath"];
        Assert.Contains($"COPY --from=ort /ort {Path.GetDirectoryName(library)}", Cann.Text);
        Assert.Equal("libonnxruntime.so", Path.GetFileName(library));
        Assert.Contains("libonnxruntime_providers_cann.so", Cann.Text);
    }
}
