using YamlDotNet.RepresentationModel;

namespace InferenceServer.IntegrationTests.Infrastructure;

/// <summary>
/// The published CRDs vendored under Fixtures/Crds (Gateway API Inference Extension v1.5.0, Gateway API v1.5.1
/// standard channel), by <c>apiVersion</c> and <c>kind</c>: the <c>openAPIV3Schema</c> of each served version.
/// </summary>
public static class CrdSchemas
{
    private static readonly Lazy<Dictionary<(string ApiVersion, string Kind), YamlMappingNode>> All = new(Load);

    public static IEnumerable<string> Groups => All.Value.Keys.Select(k => k.ApiVersion.Split('/')[0]).Distinct();

    public static YamlMappingNode? Find(string apiVersion, string kind) => All.Value.GetValueOrDefault((apiVersion, kind));

    private static Dictionary<(string, string), YamlMappingNode> Load()
    {
        var schemas = new Dictionary<(string, string), YamlMappingNode>();
        foreach (var file in Directory.GetFiles(Repository.File("tests", "InferenceServer.IntegrationTests", "Fixtures", "Crds"), "*.yaml"))
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(File.ReadAllText(file)));
            var spec = (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["spec"];
            var group = ((YamlScalarNode)spec["group"]).Value!;
            var kind = ((YamlScalarNode)((YamlMappingNode)spec["names"])["kind"]).Value!;
            foreach (YamlMappingNode version in (YamlSequenceNode)spec["versions"])
            {
                if (((YamlScalarNode)version["served"]).Value == "true")
                {
                    var schema = (YamlMappingNode)((YamlMappingNode)version["schema"])["openAPIV3Schema"];
                    schemas.Add(($"{group}/{((YamlScalarNode)version["name"]).Value}", kind), schema);
                }
            }
        }

        return schemas;
    }
}
