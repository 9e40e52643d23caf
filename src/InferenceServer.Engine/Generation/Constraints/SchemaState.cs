namespace InferenceServer.Engine.Generation.Constraints;

/// <summary>A value matched against a <see cref="JsonSchemaProgram"/>: a bounded stack of frames, copied by value.</summary>
internal struct SchemaState
{
    public const int MaxDepth = 12;
    public SchemaFrames Frames;
    public int Depth;
    public bool Done;
}
