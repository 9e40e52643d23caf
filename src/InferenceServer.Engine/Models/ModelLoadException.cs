namespace InferenceServer.Engine.Models;

/// <summary>A model folder is missing, incomplete or corrupt. The message names the file at fault.</summary>
public sealed class ModelLoadException : Exception
{
    public ModelLoadException(string message)
        : base(message)
    {
    }

    public ModelLoadException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
