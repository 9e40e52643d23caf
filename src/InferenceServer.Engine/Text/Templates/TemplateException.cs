namespace InferenceServer.Engine.Text.Templates;

/// <summary>A chat template could not be parsed or rendered. The message names the template line where known.</summary>
public class TemplateException : Exception
{
    public TemplateException(string message)
        : base(message)
    {
    }

    public TemplateException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
