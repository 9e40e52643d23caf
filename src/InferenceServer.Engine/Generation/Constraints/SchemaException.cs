namespace InferenceServer.Engine.Generation.Constraints;

/// <summary>
/// A JSON Schema keyword the constrained decoder cannot enforce (a regular expression outside the supported subset,
/// bounds that admit no value). The host answers it with a 400 naming <see cref="Keyword"/>.
/// </summary>
public sealed class SchemaException : Exception
{
    public SchemaException(string keyword, string message)
        : base(message) => Keyword = keyword;

    /// <summary>The offending keyword: <c>pattern</c>, <c>format</c>, <c>minimum</c>, <c>multipleOf</c>, …</summary>
    public string Keyword { get; }
}
