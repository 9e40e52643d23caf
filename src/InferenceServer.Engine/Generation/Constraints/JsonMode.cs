namespace InferenceServer.Engine.Generation.Constraints;

/// <summary>Where a <see cref="JsonState"/> is inside a JSON text.</summary>
internal enum JsonMode : byte
{
    Value,
    FirstKeyOrEnd,
    Key,
    Colon,
    AfterValue,
    FirstValueOrEnd,
    String,
    Escape,
    Unicode,
    NumberSign,
    NumberZero,
    NumberInt,
    NumberDot,
    NumberFrac,
    NumberExp,
    NumberExpSign,
    NumberExpDigits,
    Literal,
    Done,
}
