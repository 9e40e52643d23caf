namespace InferenceServer.Engine.Text.Templates;

/// <summary>
/// One node of a parsed template, statement or expression. Immutable once parsed, so a template renders on many
/// threads at once. Field use per kind is documented on <see cref="Parser"/>.
/// </summary>
internal sealed class Node
{
    private static readonly Node[] NoNodes = [];

    public required NodeKind Kind { get; init; }

    public int Line { get; init; }

    public string? Name { get; init; }

    public string[]? Names { get; init; }

    public object? Value { get; init; }

    public Node[] Items { get; init; } = NoNodes;

    public string[]? KeywordNames { get; init; }

    public Node[]? KeywordValues { get; init; }

    public Node[]? Body { get; init; }

    public Node[]? Else { get; init; }
}
