using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace InferenceServer.Engine.Generation.Constraints;

/// <summary>
/// Compiles a JSON Schema into <see cref="SchemaNode"/>s, leniently: object / array / string / number / integer /
/// boolean / null, <c>enum</c>, <c>const</c>, <c>anyOf</c> (and type arrays), <c>$ref</c> into <c>$defs</c> /
/// <c>definitions</c> (recursion included), string <c>pattern</c> and <c>format</c> (email, hostname, ipv4, ipv6,
/// uuid) as byte automata (<see cref="ByteDfa"/>), number / integer bounds and <c>multipleOf</c>
/// (<see cref="NumberBounds"/>). A pattern or bound it cannot enforce is a <see cref="SchemaException"/> when strict,
/// and is ignored otherwise; other keywords and unknown formats are ignored; an unknown shape allows any JSON value.
/// </summary>
internal sealed partial class JsonSchemaCompiler
{
    private const int MaxLiterals = 64;

    /// <summary>
    /// How a key, <c>const</c> or <c>enum</c> value is spelled in the output: escaped only where JSON requires
    /// (quotes, backslashes, control characters), so <c>"&lt;b&gt;"</c> comes out as written, not as <c>"\u003Cb\u003E"</c>.
    /// </summary>
    private static readonly JsonSerializerOptions Spelling = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>"No finite value": large, yet sums of a few stay far from overflow.</summary>
    private const int Infinite = int.MaxValue / 4;
    private static readonly byte[] AnyFirst = "{[\"-0123456789tfn"u8.ToArray();
    private readonly JsonElement _root;
    private readonly List<SchemaNode> _nodes = [];
    private readonly Dictionary<string, int> _refs = new(StringComparer.Ordinal);

    private readonly bool _strict;

    private JsonSchemaCompiler(JsonElement root, bool strict) => (_root, _strict) = (root, strict);

    public static (SchemaNode[] Nodes, int Root) Compile(JsonElement schema, bool strict)
    {
        var compiler = new JsonSchemaCompiler(schema, strict);
        var root = compiler.New();
        compiler.Fill(root, schema);
        var nodes = compiler._nodes.ToArray();
        Measure(nodes);
        return (nodes, root);
    }

    private int New()
    {
        _nodes.Add(new SchemaNode());
        return _nodes.Count - 1;
    }

    private int Node(JsonElement schema)
    {
        if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var r) && r.GetString() is { } reference)
        {
            if (_refs.TryGetValue(reference, out var known))
            {
                return known;
            }

            var id = New();
            _refs[reference] = id;
            Fill(id, Resolve(reference) ?? default);
            return id;
        }

        var node = New();
        Fill(node, schema);
        return node;
    }

    private JsonElement? Resolve(string reference)
    {
        if (reference == "#")
        {
            return _root;
        }

        var current = _root;
        foreach (var part in reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return null;
            }
        }

        return current;
    }

    private void Fill(int id, JsonElement s)
    {
        var node = _nodes[id];
        node.Kind = SchemaKind.Any;
        if (s.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (s.TryGetProperty("$ref", out _))
        {
            node.Kind = SchemaKind.AnyOf;
            node.Options = [Node(s)];
            return;
        }

        if (s.TryGetProperty("const", out var constant))
        {
            Literals(node, [constant]);
            return;
        }

        if (s.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array)
        {
            Literals(node, values.EnumerateArray().Take(MaxLiterals).ToList());
            return;
        }

        if (s.TryGetProperty("anyOf", out var anyOf) && anyOf.ValueKind == JsonValueKind.Array)
        {
            node.Kind = SchemaKind.AnyOf;
            node.Options = anyOf.EnumerateArray().Select(Node).ToArray();
            return;
        }

        var type = s.TryGetProperty("type", out var t) ? t : default;
        if (type.ValueKind == JsonValueKind.Array)
        {
            node.Kind = SchemaKind.AnyOf;
            node.Options = type.EnumerateArray().Select(one => Typed(one.GetString(), s)).ToArray();
            return;
        }

        var name = type.ValueKind == JsonValueKind.String ? type.GetString()
            : s.TryGetProperty("properties", out _) ? "object"
            : s.TryGetProperty("items", out _) ? "array"
            : null;
        FillTyped(node, name, s);
    }

    private int Typed(string? type, JsonElement s)
    {
        var id = New();
        FillTyped(_nodes[id], type, s);
        return id;
    }

    private void FillTyped(SchemaNode node, string? type, JsonElement s)
    {
        switch (type)
        {
            case "object":
                node.Kind = SchemaKind.Object;
                var properties = s.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p.EnumerateObject().ToList() : [];
                node.Keys = properties.Select((prop, i) => Encoding.UTF8.GetBytes((i == 0 ? string.Empty : ",") + JsonSerializer.Serialize(prop.Name, Spelling) + ":")).ToArray();
                node.Values = properties.Select(prop => Node(prop.Value)).ToArray();
                break;
            case "array":
                node.Kind = SchemaKind.Array;
                node.Items = s.TryGetProperty("items", out var items) ? Node(items) : Node(default);
                break;
            case "string":
                node.Kind = SchemaKind.String;
                node.Pattern = Enforced(() => StringPattern(s));
                break;
            case "number":
                node.Kind = SchemaKind.Number;
                node.Bounds = Enforced(() => NumberBounds.From(s, integer: false));
                break;
            case "integer":
                node.Kind = SchemaKind.Integer;
                node.Bounds = Enforced(() => NumberBounds.From(s, integer: true));
                break;
            case "boolean":
                node.Kind = SchemaKind.Literals;
                node.Literals = ["true"u8.ToArray(), "false"u8.ToArray()];
                break;
            case "null":
                node.Kind = SchemaKind.Literals;
                node.Literals = ["null"u8.ToArray()];
                break;
            default:
                node.Kind = SchemaKind.Any;
                break;
        }
    }

    private T? Enforced<T>(Func<T?> compile)
        where T : class
    {
        try
        {
            return compile();
        }
        catch (SchemaException) when (!_strict)
        {
            return null;
        }
    }

    /// <summary><c>pattern</c> and a known <c>format</c> as one automaton (other formats are annotations, ignored).</summary>
    private static ByteDfa? StringPattern(JsonElement s)
    {
        var dfa = s.TryGetProperty("pattern", out var p) && p.ValueKind == JsonValueKind.String ? ByteDfa.Compile(p.GetString()!) : null;
        if (s.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String && StringFormats.For(f.GetString()!) is { } format)
        {
            try
            {
                dfa = dfa is null ? format : ByteDfa.Intersect(dfa, format);
            }
            catch (SchemaException e)
            {
                throw new SchemaException("format", e.Message);
            }
        }

        return dfa;
    }

    private static void Literals(SchemaNode node, List<JsonElement> values)
    {
        node.Kind = SchemaKind.Literals;
        node.Literals = values.Select(v => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(v, Spelling))).Where(b => b.Length > 0).ToArray();
    }

}
