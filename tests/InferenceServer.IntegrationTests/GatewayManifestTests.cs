using System.Net;
using InferenceServer.Engine.Generation;
using InferenceServer.IntegrationTests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace InferenceServer.IntegrationTests;

/// <summary>
/// deploy/k8s/gateway: each custom resource passes its published CRD's schema, the pieces name each other (pool →
/// pods and picker, route → pool, objectives → pool), and the metrics the picker is configured to read are ones our
/// server exposes with the settings the manifests give it.
/// </summary>
public sealed class GatewayManifestTests
{
    private static string Gateway(string file) => Repository.File("deploy", "k8s", "gateway", file);

    private static List<YamlMappingNode> Load(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    private static List<YamlMappingNode> Manifests() =>
        [.. Directory.GetFiles(Repository.File("deploy", "k8s", "gateway"), "*.yaml").Order().SelectMany(f => Load(File.ReadAllText(f)))];

    private static List<YamlMappingNode> Base() =>
        [.. Directory.GetFiles(Repository.File("deploy", "k8s"), "*.yaml").Order().SelectMany(f => Load(File.ReadAllText(f)))];

    private static YamlNode At(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            node = node is YamlSequenceNode list && int.TryParse(key, out var i) ? list[i] : ((YamlMappingNode)node)[key];
        }

        return node;
    }

    private static string Text(YamlNode node, params string[] path) => ((YamlScalarNode)At(node, path)).Value!;

    private static Dictionary<string, string> Map(YamlNode node, params string[] path) =>
        ((YamlMappingNode)At(node, path)).Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value!);

    private static YamlMappingNode Kind(IEnumerable<YamlMappingNode> docs, string kind, string name) =>
        docs.Single(d => Text(d, "kind") == kind && Text(d, "metadata", "name") == name);

    private static List<string> SchemaErrors(YamlMappingNode document)
    {
        var schema = CrdSchemas.Find(Text(document, "apiVersion"), Text(document, "kind"));
        Assert.True(schema is not null, $"no vendored CRD serves {Text(document, "apiVersion")} {Text(document, "kind")}");
        return OpenApiSchema.Validate(document, schema);
    }

    /// <summary>The picker's EndpointPickerConfig, from its ConfigMap.</summary>
    private static YamlMappingNode PickerConfig() => Load(Text(Kind(Manifests(), "ConfigMap", "inferenceserver-epp"), "data", "config.yaml")).Single();

    private static YamlMappingNode Plugin(string type) =>
        ((YamlSequenceNode)At(PickerConfig(), "plugins")).Cast<YamlMappingNode>().Single(p => Text(p, "type") == type);

    [Fact]
    public void EveryCustomResourcePassesItsPublishedSchema()
    {
        var custom = Manifests().Where(d => CrdSchemas.Groups.Contains(Text(d, "apiVersion").Split('/')[0])).ToList();
        Assert.Equal(["Gateway", "HTTPRoute", "InferenceObjective", "InferenceObjective", "InferencePool"], custom.Select(d => Text(d, "kind")).Order());
        Assert.All(custom, d => Assert.Empty(SchemaErrors(d)));
    }

    [Theory]
    [InlineData("inferencepool.yaml", "  targetPorts:", "  targetPort:", ".spec.targetPort: unknown field")]
    [InlineData("inferencepool.yaml", "  targetPorts:", "  targetPort:", ".spec.targetPorts: required")]
    [InlineData("inferencepool.yaml", "failureMode: FailOpen", "failureMode: Open", ".spec.endpointPickerRef.failureMode: Open is not one of FailOpen, FailClose")]
    [InlineData("inferencepool.yaml", "number: 8080", "number: \"8080\"", ".spec.targetPorts[0].number: must be integer, not string")]
    [InlineData("inferenceobjectives.yaml", "priority: 10", "priority: high", ".spec.priority: must be integer, not string")]
    [InlineData("gateway.yaml", "      kind: InferencePool", "      kinds: InferencePool", ".spec.rules[0].backendRefs[0].kinds: unknown field")]
    [InlineData("gateway.yaml", "      port: 80", "      port: 0", ".spec.listeners[0].port: 0 is less than 1")]
    public void AWrongFieldFailsTheSchema(string file, string right, string wrong, string error)
    {
        var text = File.ReadAllText(Gateway(file));
        Assert.Contains(right, text);
        var errors = Load(text.Replace(right, wrong, StringComparison.Ordinal)).SelectMany(SchemaErrors).ToList();
        Assert.Contains(error, errors);
    }

    [Fact]
    public void ThePoolTheRouteAndThePickerNameEachOther()
    {
        var docs = Manifests();
        var pool = Kind(docs, "InferencePool", "inferenceserver");
        foreach (var deployment in Base().Where(d => Text(d, "kind") == "Deployment"))
        {
            var pod = At(deployment, "spec", "template");
            var labels = Map(pod, "metadata", "labels");
            Assert.All(Map(pool, "spec", "selector", "matchLabels"), l => Assert.Equal(l.Value, labels[l.Key]));
            Assert.Equal(Text(pod, "spec", "containers", "0", "ports", "0", "containerPort"), Text(pool, "spec", "targetPorts", "0", "number"));
        }

        var eppService = Kind(docs, "Service", Text(pool, "spec", "endpointPickerRef", "name"));
        var extProc = ((YamlSequenceNode)At(eppService, "spec", "ports")).Single(p => Text(p, "port") == Text(pool, "spec", "endpointPickerRef", "port", "number"));
        var epp = Kind(docs, "Deployment", "inferenceserver-epp");
        var eppPod = At(epp, "spec", "template");
        Assert.All(Map(eppService, "spec", "selector"), l => Assert.Equal(l.Value, Map(eppPod, "metadata", "labels")[l.Key]));
        var container = At(eppPod, "spec", "containers", "0");
        Assert.Equal("9002", Text(((YamlSequenceNode)At(container, "ports")).Single(p => Text(p, "name") == Text(extProc, "targetPort")), "containerPort"));

        var args = ((YamlSequenceNode)At(container, "args")).Cast<YamlScalarNode>().Select(a => a.Value!).ToList();
        Assert.Equal(Text(pool, "metadata", "name"), args[args.IndexOf("--pool-name") + 1]);
        Assert.DoesNotContain(args, a => a.EndsWith("-metric", StringComparison.Ordinal)); // v1.5.0 refuses the old metric flags
        var configFile = args[args.IndexOf("--config-file") + 1];
        Assert.Equal(Text(container, "volumeMounts", "0", "mountPath"), Path.GetDirectoryName(configFile));
        Assert.Equal("inferenceserver-epp", Text(eppPod, "spec", "volumes", "0", "configMap", "name"));
        Assert.True(((YamlMappingNode)At(Kind(docs, "ConfigMap", "inferenceserver-epp"), "data")).Children.ContainsKey(new YamlScalarNode(Path.GetFileName(configFile))));
        Assert.Equal(Text(eppPod, "spec", "serviceAccountName"), Text(Kind(docs, "RoleBinding", "inferenceserver-epp"), "subjects", "0", "name"));
        Assert.Equal(Text(eppPod, "spec", "serviceAccountName"), Text(Kind(docs, "ServiceAccount", "inferenceserver-epp"), "metadata", "name"));

        Assert.All(docs.Where(d => Text(d, "kind") == "InferenceObjective"), o => Assert.Equal(Text(pool, "metadata", "name"), Text(o, "spec", "poolRef", "name")));
        var route = Kind(docs, "HTTPRoute", "inferenceserver");
        Assert.Equal("InferencePool", Text(route, "spec", "rules", "0", "backendRefs", "0", "kind"));
        Assert.Equal(Text(pool, "metadata", "name"), Text(route, "spec", "rules", "0", "backendRefs", "0", "name"));
        Assert.Equal(Text(Kind(docs, "Gateway", "inference-gateway"), "metadata", "name"), Text(route, "spec", "parentRefs", "0", "name"));
    }

    [Fact]
    public void ThePickersPrefixBlocksAreOurPrefixCachesBlocks()
    {
        Assert.Equal("false", Text(Plugin("prefix-cache-scorer"), "parameters", "autoTune"));
        Assert.Equal(PrefixCache.BlockTokens.ToString(System.Globalization.CultureInfo.InvariantCulture), Text(Plugin("prefix-cache-scorer"), "parameters", "blockSizeTokens"));
        var profile = ((YamlSequenceNode)At(PickerConfig(), "schedulingProfiles", "0", "plugins")).Select(p => Text(p, "pluginRef"));
        Assert.Equal(["queue-scorer", "kv-cache-utilization-scorer", "prefix-cache-scorer"], profile);
    }

    [Fact]
    public async Task EveryMetricThePickerReadsIsExposedWithTheManifestsSettings()
    {
        var serverConfig = Map(Kind(Base(), "ConfigMap", "inferenceserver-config"), "data");
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Metrics:VllmNames"] = serverConfig["Metrics__VllmNames"] });
        var (chat, _) = await server.Client.PostJsonAsync("chat/completions",
            new { model = "deepseek-chat", messages = new[] { new { role = "user", content = "Hi" } }, max_tokens = 1 });
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);

        var source = Plugin("metrics-data-source");
        Assert.Equal("http", Text(source, "parameters", "scheme"));
        var metrics = PrometheusText.Parse(await server.Client.GetStringAsync(Text(source, "parameters", "path").TrimStart('/')));
        var engine = At(Plugin("core-metrics-extractor"), "parameters", "engineConfigs", "0");
        Assert.Equal(Text(Plugin("core-metrics-extractor"), "parameters", "defaultEngine"), Text(engine, "name"));
        foreach (var spec in new[] { "queuedRequestsSpec", "runningRequestsSpec", "kvUsageSpec" })
        {
            var family = Text(engine, spec);
            Assert.Equal("gauge", metrics.Types[family]);
            Assert.Contains(metrics.Samples, s => s.Name == family && s.Labels.TryGetValue("model_name", out var model) && model.Length > 0);
        }

        // Specs left empty are ones we do not expose; the picker skips them instead of logging a missing family.
        Assert.Equal("", Text(engine, "loraSpec"));
        Assert.DoesNotContain("vllm:lora_requests_info", metrics.Types.Keys);
        Assert.Equal("", Text(engine, "cacheInfoSpec"));
        Assert.DoesNotContain("vllm:cache_config_info", metrics.Types.Keys);
    }
}
