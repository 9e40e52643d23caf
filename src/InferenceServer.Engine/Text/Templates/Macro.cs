namespace InferenceServer.Engine.Text.Templates;

/// <summary>A macro (or a call block's <c>caller</c>) bound to the scope it was defined in.</summary>
internal sealed class Macro(Node definition, Scope closure)
{
    public Node Definition { get; } = definition;

    public Scope Closure { get; } = closure;
}
