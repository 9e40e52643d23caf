using System.Net;
using System.Text.RegularExpressions;
using InferenceServer.IntegrationTests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// The Dockerfiles, compose file and Kubernetes manifests agree with the server: the keys they set are keys it reads,
/// the port is the one it listens on, the probe paths answer, the HPA's metric is one /metrics exposes.
/// </summary>
public sealed class DeploymentManifestTests
{
    private static readonly Dockerfile Cpu = Dockerfile.Load(Repository.File("Dockerfile"));
    private static readonly Dockerfile Cuda = Dockerfile.Load(Repository.File("deploy", "docker", "Dockerfile.cuda"));

    private static List<YamlMappingNode> Kubernetes() =>
        [.. Directory.GetFiles(Repository.File("deploy", "k8s"), "*.yaml").Order().SelectMany(LoadAll)];

    private static IEnumerable<YamlMappingNode> LoadAll(string path)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(path)));
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode);
    }

    private static YamlNode At(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            node = node is YamlSequenceNode list && int.TryParse(key, out var i) ? list[i] : ((YamlMappingNode)node)[key];
        }

        return node;
    }

    private static string Text(YamlNode node, params string[] path) => ((YamlScalarNode)At(node, path)).Value!;

    private static bool Has(YamlNode node, params string[] path)
    {
        try
        {
            At(node, path);
            return true;
        }
        catch (KeyNotFoundException)
        {
            return false;
        }
    }

    private static YamlMappingNode Kind(string kind, string name) =>
        Kubernetes().Single(d => Text(d, "kind") == kind && Text(d, "metadata", "name") == name);

    private static TimeSpan DrainTimeout(IReadOnlyDictionary<string, string> env) => TimeSpan.Parse(env["Shutdown__DrainTimeout"].Trim('"'), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void BothImagesSetOnlyKeysTheServerReadsAndExposeThePortItListensOn()
    {
        foreach (var image in new[] { Cpu, Cuda })
        {
            Assert.All(image.Env.Keys, k => Assert.True(ConfigurationKeys.IsKnown(k), $"ENV {k} is not a key the server reads"));
            Assert.Equal([int.Parse(image.Env["ASPNETCORE_HTTP_PORTS"], System.Globalization.CultureInfo.InvariantCulture)], image.Expose);
            Assert.Equal(["dotnet", "InferenceServer.dll"], image.Entrypoint);
            Assert.Equal(["dotnet", $"{image.WorkDir}/InferenceServer.dll", "--health-check"], image.HealthCheck);
            Assert.NotEqual("root", image.User);
            Assert.Contains("VOLUME [\"/models\"]", image.Text);
            Assert.True(File.Exists(Path.Combine(Repository.ServerBuildOutput(), image.Entrypoint[1])));
        }
    }

    [Fact]
    public void TheCudaImageBuildsTheCudaFlavourOnACuda13AndCudnn9Runtime()
    {
        Assert.Equal("cuda", Cuda.Env["Runtime__Profile"]);
        Assert.Contains("-p:OnnxRuntimeFlavor=Cuda -o /app", Cuda.Text);
        Assert.Matches(@"^nvidia/cuda:13\.\d+\.\d+-cudnn-runtime-ubuntu", Cuda.RuntimeBase);
        var packages = File.ReadAllText(Repository.File("Directory.Packages.props"));
        Assert.Matches(new Regex("\"Microsoft.ML.OnnxRuntime.Gpu.Linux\" Version=\"1\\.31\\."), packages);
        Assert.Contains("Condition=\"'$(OnnxRuntimeFlavor)' == 'Cuda'\"", File.ReadAllText(Repository.File("src", "InferenceServer.Engine", "InferenceServer.Engine.csproj")));
    }

    [Fact]
    public void ComposeServicesUseKnownKeysThePortAndAGpuReservation()
    {
        var compose = LoadAll(Repository.File("deploy", "docker-compose.yml")).Single();
        var services = (YamlMappingNode)At(compose, "services");
        foreach (var (name, node) in services.Children)
        {
            var env = ((YamlMappingNode)At(node, "environment")).Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value!);
            Assert.All(env.Keys, k => Assert.True(ConfigurationKeys.IsKnown(k), $"{name}: {k} is not a key the server reads"));
            Assert.Equal($"8080:{Cpu.Env["ASPNETCORE_HTTP_PORTS"]}", Text(node, "ports", "0"));
            Assert.True(File.Exists(Path.Combine(Repository.Root, "deploy", Text(node, "build", "context"), Text(node, "build", "dockerfile"))));
            Assert.True(TimeSpan.FromSeconds(int.Parse(Text(node, "stop_grace_period").TrimEnd('s'), System.Globalization.CultureInfo.InvariantCulture)) > DrainTimeout(env));
        }

        var gpu = At(services, "inferenceserver-gpu");
        Assert.Equal("cuda", Text(gpu, "environment", "Runtime__Profile"));
        Assert.Equal("gpu", Text(gpu, "deploy", "resources", "reservations", "devices", "0", "capabilities", "0"));
        Assert.Equal("deploy/docker/Dockerfile.cuda", Text(gpu, "build", "dockerfile"));
    }

    [Fact]
    public void KubernetesManifestsHangTogether()
    {
        var config = Kind("ConfigMap", "inferenceserver-config");
        var configEnv = ((YamlMappingNode)At(config, "data")).Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value!);
        Assert.All(configEnv.Keys, k => Assert.True(ConfigurationKeys.IsKnown(k), $"ConfigMap key {k} is not a key the server reads"));

        var deployments = Kubernetes().Where(d => Text(d, "kind") == "Deployment").ToList();
        Assert.Equal(2, deployments.Count);
        foreach (var deployment in deployments)
        {
            var pod = At(deployment, "spec", "template");
            var container = At(pod, "spec", "containers", "0");
            Assert.Equal(8080, int.Parse(Text(container, "ports", "0", "containerPort"), System.Globalization.CultureInfo.InvariantCulture));
            var portName = Text(container, "ports", "0", "name");
            Assert.Equal("/health/live", Text(container, "livenessProbe", "httpGet", "path"));
            Assert.Equal("/health/ready", Text(container, "readinessProbe", "httpGet", "path"));
            Assert.Equal(portName, Text(container, "livenessProbe", "httpGet", "port"));
            Assert.Equal(portName, Text(container, "readinessProbe", "httpGet", "port"));
            Assert.Equal("inferenceserver-config", Text(container, "envFrom", "0", "configMapRef", "name"));
            foreach (YamlMappingNode e in (YamlSequenceNode)At(container, "env"))
            {
                Assert.True(ConfigurationKeys.IsKnown(Text(e, "name")), $"env {Text(e, "name")} is not a key the server reads");
            }

            Assert.True(Has(container, "resources", "requests", "cpu") && Has(container, "resources", "limits", "memory"));
            Assert.Equal("inferenceserver-models", Text(pod, "spec", "volumes", "0", "persistentVolumeClaim", "claimName"));
            Assert.Equal(Text(Kind("PersistentVolumeClaim", "inferenceserver-models"), "metadata", "name"), Text(pod, "spec", "volumes", "0", "persistentVolumeClaim", "claimName"));
            Assert.Equal(Text(Kind("Secret", "inferenceserver-api-keys"), "metadata", "name"), Text(pod, "spec", "volumes", "1", "secret", "secretName"));
            Assert.StartsWith(Text(container, "volumeMounts", "1", "mountPath") + "/", configEnv["Auth__KeysFile"]);
            var grace = int.Parse(Text(pod, "spec", "terminationGracePeriodSeconds"), System.Globalization.CultureInfo.InvariantCulture);
            var preStop = int.Parse(Text(container, "lifecycle", "preStop", "sleep", "seconds"), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(TimeSpan.FromSeconds(grace - preStop) > DrainTimeout(configEnv), "the grace period must outlast the drain");

            var service = Kind("Service", "inferenceserver");
            Assert.Equal(portName, Text(service, "spec", "ports", "0", "targetPort"));
            foreach (var (key, value) in (YamlMappingNode)At(service, "spec", "selector"))
            {
                Assert.Equal(((YamlScalarNode)value).Value, Text(pod, "metadata", "labels", ((YamlScalarNode)key).Value!));
            }

            foreach (var (key, value) in (YamlMappingNode)At(deployment, "spec", "selector", "matchLabels"))
            {
                Assert.Equal(((YamlScalarNode)value).Value, Text(pod, "metadata", "labels", ((YamlScalarNode)key).Value!));
            }
        }

        var gpu = deployments.Single(d => Text(d, "metadata", "name") == "inferenceserver-gpu");
        var gpuContainer = At(gpu, "spec", "template", "spec", "containers", "0");
        Assert.Equal("1", Text(gpuContainer, "resources", "limits", "nvidia.com/gpu"));
        Assert.Contains((YamlSequenceNode)At(gpuContainer, "env"), e => Text(e, "name") == "Runtime__Profile" && Text(e, "value") == "cuda");

        var hpa = Kind("HorizontalPodAutoscaler", "inferenceserver");
        Assert.Equal("inferenceserver", Text(Kind("Deployment", Text(hpa, "spec", "scaleTargetRef", "name")), "metadata", "name"));
        var pdb = Kind("PodDisruptionBudget", "inferenceserver");
        var cpuLabels = (YamlMappingNode)At(Kind("Deployment", "inferenceserver"), "spec", "template", "metadata", "labels");
        foreach (var (key, value) in (YamlMappingNode)At(pdb, "spec", "selector", "matchLabels"))
        {
            Assert.Equal(((YamlScalarNode)value).Value, ((YamlScalarNode)cpuLabels[key]).Value);
        }
    }

    [Fact]
    public async Task TheProbePathsAnswerAndTheHpaMetricIsExposed()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>());
        var container = At(Kind("Deployment", "inferenceserver"), "spec", "template", "spec", "containers", "0");
        foreach (var probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
        {
            var path = Text(container, probe, "httpGet", "path");
            Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync(path.TrimStart('/'))).StatusCode);
        }

        var metric = Text(Kind("HorizontalPodAutoscaler", "inferenceserver"), "spec", "metrics", "0", "pods", "metric", "name");
        var (chat, _) = await server.Client.PostJsonAsync("chat/completions",
            new { model = "deepseek-chat", messages = new[] { new { role = "user", content = "Hi" } }, max_tokens = 1 });
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        Assert.Contains(metric + "{", await server.Client.GetStringAsync("metrics"));
    }

    [Fact]
    public void AnUnknownKeyIsCaught()
    {
        Assert.False(ConfigurationKeys.IsKnown("Server__LogFromat"));
        Assert.False(ConfigurationKeys.IsKnown("Models__0__Pth"));
        Assert.False(ConfigurationKeys.IsKnown("Auth__Key"));
        Assert.True(ConfigurationKeys.IsKnown("Models__0__Aliases__1__Thinking"));
        Assert.True(ConfigurationKeys.IsKnown("Auth__Keys__0"));
    }
}
