namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>Metaspace's <c>prepend_scheme</c>: when a leading replacement character is added.</summary>
internal enum MetaspacePrepend
{
    Always,
    Never,
    First,
}
