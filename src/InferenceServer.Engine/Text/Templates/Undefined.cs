namespace InferenceServer.Engine.Text.Templates;

/// <summary>Jinja's undefined value: a missing variable, key or attribute. Falsy, renders as "".</summary>
internal sealed class Undefined
{
    public static readonly Undefined Instance = new();

    private Undefined()
    {
    }

    public override string ToString() => string.Empty;
}
