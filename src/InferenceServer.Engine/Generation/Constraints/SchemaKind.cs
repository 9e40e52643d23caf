namespace InferenceServer.Engine.Generation.Constraints;

internal enum SchemaKind
{
    /// <summary>Any JSON value.</summary>
    Any,
    Object,
    Array,
    String,
    Number,
    Integer,

    /// <summary>One of fixed JSON texts: <c>enum</c>, <c>const</c>, booleans, null.</summary>
    Literals,

    /// <summary>The first option whose first byte fits.</summary>
    AnyOf,
}
