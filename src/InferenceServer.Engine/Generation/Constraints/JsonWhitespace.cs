namespace InferenceServer.Engine.Generation.Constraints;

/// <summary>
/// The whitespace JSON allows between tokens (space, <c>\n</c>, <c>\t</c>, <c>\r</c>), as constrained decoding admits
/// it: anywhere RFC 8259 does inside the value (not before or after it), at most <see cref="MaxRun"/> bytes per gap.
/// The cap covers pretty-printed output (a newline and an indent of up to 63 spaces: two-space indentation 31 levels
/// deep, four-space 15) while a model cannot stall in whitespace: a gap ends after <see cref="MaxRun"/> bytes, and as
/// whitespace never shortens what is still owed, the token budget admits it only where the value can still finish.
/// </summary>
internal static class JsonWhitespace
{
    public const int MaxRun = 64;

    public static bool Is(byte b) => b is (byte)' ' or (byte)'\n' or (byte)'\t' or (byte)'\r';
}
