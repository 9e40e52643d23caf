namespace InferenceServer.Engine.Text.Templates;

internal enum NodeKind
{
    // Statements
    Text,
    Print,
    If,
    For,
    Set,
    SetAttribute,
    SetBlock,
    Macro,
    CallBlock,
    FilterBlock,
    Break,
    Continue,

    // Expressions
    Constant,
    Variable,
    GetAttribute,
    GetItem,
    Slice,
    Call,
    Filter,
    Test,
    Unary,
    Binary,
    Compare,
    Concat,
    Conditional,
    List,
    Tuple,
    Dict,
}
