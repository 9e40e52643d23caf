using GenAi = Microsoft.ML.OnnxRuntimeGenAI;

namespace InferenceServer.Tests.Vision;

/// <summary>ONNX Runtime GenAI's own multimodal path on a phi3v folder: MultiModalProcessor, then greedy Generator.</summary>
internal static class GenAiPhi3Vision
{
    /// <summary>The prompt's token ids as GenAI expanded them (image tokens are negative), the generated ids and their text.</summary>
    public static (int[] Prompt, List<int> Tokens, string Text) Generate(string folder, string prompt, IReadOnlyList<byte[]> images, int steps)
    {
        using var model = new GenAi.Model(folder);
        using var processor = new GenAi.MultiModalProcessor(model);
        using var loaded = images.Count == 0 ? null : LoadImages(images);
        using var inputs = processor.ProcessImages(prompt, loaded);
        using var parameters = new GenAi.GeneratorParams(model);
        parameters.SetSearchOption("max_length", 8192);
        parameters.SetSearchOption("do_sample", false);
        using var generator = new GenAi.Generator(model, parameters);
        generator.SetInputs(inputs);
        var promptIds = generator.GetSequence(0).ToArray();
        var tokens = new List<int>();
        while (!generator.IsDone() && tokens.Count < steps)
        {
            generator.GenerateNextToken();
            tokens.Add(generator.GetNextTokens()[0]);
        }

        var text = processor.Decode(tokens.Where(t => t >= 0).ToArray());
        return (promptIds, tokens, text.Replace("<｜end▁of▁sentence｜>", string.Empty, StringComparison.Ordinal));
    }

    private static GenAi.Images LoadImages(IReadOnlyList<byte[]> images)
    {
        if (images.Count != 1)
        {
            var paths = new string[images.Count];
            for (var i = 0; i < images.Count; i++)
            {
                paths[i] = Path.Combine(Path.GetTempPath(), $"genai-image-{Guid.NewGuid():N}.png");
                File.WriteAllBytes(paths[i], images[i]);
            }

            try
            {
                return GenAi.Images.Load(paths);
            }
            finally
            {
                foreach (var path in paths)
                {
                    File.Delete(path);
                }
            }
        }

        return GenAi.Images.Load(images[0]);
    }
}
