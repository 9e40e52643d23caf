using System.Text.Json.Nodes;
using InferenceServer.ModelForge;

namespace InferenceServer.IntegrationTests.Infrastructure;

/// <summary>
/// A copy of the random demo model whose tokenizer has one token, <see cref="Fault"/>, beyond the decoder's embedding
/// table: a prompt containing it makes ONNX Runtime's embedding Gather fail inside the run, a real fault.
/// </summary>
public static class FaultyModel
{
    public const string Fault = "<|fault|>";

    /// <summary>Writes the folder under the temp directory and returns its path.</summary>
    public static string Create()
    {
        var folder = Path.Combine(Path.GetTempPath(), "inferenceserver-fault-" + Guid.NewGuid().ToString("N"));
        var from = DemoModels.EnsureRandom(TestServer.ModelCache);
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        var tokenizerPath = Path.Combine(folder, "tokenizer.json");
        var tokenizer = JsonNode.Parse(File.ReadAllText(tokenizerPath))!;
        var vocabSize = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "genai_config.json")))!["model"]!["vocab_size"]!.GetValue<int>();
        tokenizer["added_tokens"]!.AsArray().Add(new JsonObject
        {
            ["id"] = vocabSize + 7,
            ["content"] = Fault,
            ["single_word"] = false,
            ["lstrip"] = false,
            ["rstrip"] = false,
            ["normalized"] = false,
            ["special"] = true,
        });
        File.WriteAllText(tokenizerPath, tokenizer.ToJsonString());
        return folder;
    }
}
