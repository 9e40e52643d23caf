namespace InferenceServer.Engine.Generation.Constraints;

/// <summary>
/// One open schema node: which node and how far (step −1 is "nothing read yet"). What only the innermost node needs
/// (literal position, candidate literals, scalar recognizer) lives once in <see cref="SchemaState"/>, keeping frames small.
/// </summary>
internal struct SchemaFrame
{
    public int Node;
    public int Step;
}
