namespace InferenceServer.Engine.Text.Templates;

/// <summary>The mutable object made by <c>namespace(...)</c>; the one thing <c>{% set ns.attr = v %}</c> may change.</summary>
internal sealed class JinjaNamespace
{
    public Dictionary<string, object?> Attributes { get; } = new(StringComparer.Ordinal);
}
