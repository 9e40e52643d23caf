namespace InferenceServer.Engine.Runtime;

/// <summary>What a decode step's row reads and writes: text, or the image tokens of a drawing.</summary>
internal enum RowKind : byte
{
    /// <summary>A text token in, text logits out.</summary>
    Text,

    /// <summary>A text token in (the image start tag), image logits out: a drawing's first step.</summary>
    ImageStart,

    /// <summary>An image token in, image logits out.</summary>
    Image,
}
