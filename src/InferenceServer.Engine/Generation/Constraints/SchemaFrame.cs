namespace InferenceServer.Engine.Generation.Constraints;

/// <summary>Where matching stands inside one schema node. Step −1 is "nothing read yet".</summary>
internal struct SchemaFrame
{
    public int Node;
    public int Step;
    public int Position;
    public ulong Literals;
    public JsonState Scalar;
}
