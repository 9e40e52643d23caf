using System.Runtime.CompilerServices;

namespace InferenceServer.Engine.Generation.Constraints;

/// <summary>The frame stack of a <see cref="SchemaState"/>, inline so the state stays a copyable value.</summary>
[InlineArray(SchemaState.MaxDepth)]
internal struct SchemaFrames
{
    private SchemaFrame _first;
}
