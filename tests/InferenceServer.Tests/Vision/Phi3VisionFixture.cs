using InferenceServer.ModelForge.Vision;
using InferenceServer.Tests.ModelForge;

namespace InferenceServer.Tests.Vision;

/// <summary>One forge phi3v folder shared by a test class.</summary>
public sealed class Phi3VisionFixture : IDisposable
{
    /// <summary>A rendered chat prompt (thinking off) with one image placeholder, as Phi-3.5-vision prompts carry them.</summary>
    public const string Prompt = "<｜begin▁of▁sentence｜><｜User｜><|image_1|>\nWhat colour is this?<｜Assistant｜></think>";

    public const string TextOnlyPrompt = "<｜begin▁of▁sentence｜><｜User｜>What colour is this?<｜Assistant｜></think>";

    private readonly TempModelFolder _temp = new();

    public Phi3VisionFixture()
    {
        Folder = Path.Combine(_temp.Path, "phi3v");
        Phi3VisionModels.Write(Folder);
    }

    public string Folder { get; }

    public void Dispose() => _temp.Dispose();
}
