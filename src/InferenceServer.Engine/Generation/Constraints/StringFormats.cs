namespace InferenceServer.Engine.Generation.Constraints;

/// <summary>
/// The string <c>format</c>s of DeepSeek's strict subset as built-in patterns, compiled once through the same
/// <see cref="ByteDfa"/> as <c>pattern</c>. Simplifications: hostnames are not held to 253 bytes in all; email local
/// parts are dot-atoms of the common characters (no quoted local parts, no IP-literal domains); IPv6 has no zone ids
/// and no embedded IPv4 form.
/// </summary>
internal static class StringFormats
{
    private const string Label = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private const string Octet = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private const string Hex = "[0-9a-fA-F]";
    private const string Group = Hex + "{1,4}";

    private static readonly Dictionary<string, Lazy<ByteDfa>> Compiled = new(StringComparer.Ordinal)
    {
        ["email"] = Lazy("^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@" + Label + "(?:\\." + Label + ")+$"),
        ["hostname"] = Lazy("^" + Label + "(?:\\." + Label + ")*$"),
        ["ipv4"] = Lazy("^" + Octet + "(?:\\." + Octet + "){3}$"),
        ["ipv6"] = Lazy("^(?:(?:" + Group + ":){7}" + Group
            + "|(?:" + Group + ":){1,7}:"
            + "|(?:" + Group + ":){1,6}:" + Group
            + "|(?:" + Group + ":){1,5}(?::" + Group + "){1,2}"
            + "|(?:" + Group + ":){1,4}(?::" + Group + "){1,3}"
            + "|(?:" + Group + ":){1,3}(?::" + Group + "){1,4}"
            + "|(?:" + Group + ":){1,2}(?::" + Group + "){1,5}"
            + "|" + Group + ":(?::" + Group + "){1,6}"
            + "|:(?:(?::" + Group + "){1,7}|:))$"),
        ["uuid"] = Lazy("^" + Hex + "{8}-" + Hex + "{4}-" + Hex + "{4}-" + Hex + "{4}-" + Hex + "{12}$"),
    };

    /// <summary>The automaton of <paramref name="format"/>, or null for a format this server does not know.</summary>
    public static ByteDfa? For(string format) => Compiled.TryGetValue(format, out var dfa) ? dfa.Value : null;

    private static Lazy<ByteDfa> Lazy(string pattern) => new(() => ByteDfa.Compile(pattern));
}
