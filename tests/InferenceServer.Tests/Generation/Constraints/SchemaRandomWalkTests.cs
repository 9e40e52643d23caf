using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using InferenceServer.Engine.Generation.Constraints;

namespace InferenceServer.Tests.Generation.Constraints;

/// <summary>
/// Random byte walks through a schema, as the sampler takes them: any allowed byte that still fits the budget. Every
/// walk must finish within the budget and give a value that satisfies the keyword, checked independently.
/// </summary>
public sealed class SchemaRandomWalkTests
{
    [Theory]
    [InlineData("""{"type":"string","pattern":"^[a-z]{1,8}@x\\.(?:com|org)$"}""", "^[a-z]{1,8}@x\\.(?:com|org)$")]
    [InlineData("""{"type":"string","pattern":"\\d{3}"}""", "\\d{3}")]
    [InlineData("""{"type":"string","format":"ipv4"}""", "^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$")]
    [InlineData("""{"type":"string","format":"uuid"}""", "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    [InlineData("""{"type":"string","format":"hostname"}""", "^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")]
    [InlineData("""{"type":"string","pattern":"^[^a-z]{2}é.$"}""", "^[^a-z]{2}é.$")]
    public void StringsWalkedAtRandomMatchTheirPattern(string schema, string check)
    {
        foreach (var value in Walks(schema))
        {
            // The automaton counts code points (as ECMA-262's u flag does); .NET's Regex counts UTF-16 units.
            var text = Regex.Replace(JsonDocument.Parse(value).RootElement.GetString()!, "[\uD800-\uDBFF][\uDC00-\uDFFF]", "\u0100");
            Assert.Matches(new Regex(check), text);
        }
    }

    [Fact]
    public void Ipv6AndEmailWalkedAtRandomParse()
    {
        foreach (var value in Walks("""{"type":"string","format":"ipv6"}"""))
        {
            Assert.True(System.Net.IPAddress.TryParse(JsonDocument.Parse(value).RootElement.GetString(), out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6, value);
        }

        foreach (var value in Walks("""{"type":"string","format":"email"}"""))
        {
            Assert.True(System.Net.Mail.MailAddress.TryCreate(JsonDocument.Parse(value).RootElement.GetString(), out _), value);
        }
    }

    [Theory]
    [InlineData("""{"type":"integer","minimum":3,"maximum":7}""", "3", "7", null, false)]
    [InlineData("""{"type":"integer","exclusiveMinimum":-1000,"maximum":-990}""", "-999", "-990", null, false)]
    [InlineData("""{"type":"integer","minimum":-50,"maximum":5000,"multipleOf":7}""", "-50", "5000", "7", false)]
    [InlineData("""{"type":"number","minimum":-12.5,"maximum":-0.25,"multipleOf":0.25}""", "-12.5", "-0.25", "0.25", false)]
    [InlineData("""{"type":"number","exclusiveMinimum":0.1,"exclusiveMaximum":0.2}""", "0.1", "0.2", null, true)]
    [InlineData("""{"type":"number","minimum":1000000}""", "1000000", "1e16", null, false)]
    [InlineData("""{"type":"number","multipleOf":0.3}""", "-1e16", "1e16", "0.3", false)]
    public void NumbersWalkedAtRandomStayInTheirBounds(string schema, string low, string high, string? multipleOf, bool exclusive)
    {
        var (lo, hi) = (Parse(low), Parse(high));
        foreach (var value in Walks(schema))
        {
            Assert.DoesNotContain("e", value, StringComparison.OrdinalIgnoreCase);
            var v = Parse(value);
            Assert.True(exclusive ? v > lo && v < hi : v >= lo && v <= hi, value);
            Assert.True(multipleOf is null || v % Parse(multipleOf) == 0, value);
        }
    }

    [Fact]
    public void NestedValuesWalkedAtRandomAreValidSpacedJsonThatFitsTheSchema()
    {
        const string schema = """
            {"type":"object","properties":{
              "name":{"type":"string"},
              "n":{"type":"integer"},
              "x":{"type":"number"},
              "tags":{"type":"array","items":{"type":"integer"}},
              "any":{},
              "inner":{"type":"object","properties":{"ok":{"type":"boolean"},"v":{"type":["number","null"]},"e":{"type":"object","properties":{}}}}}}
            """;
        var program = JsonSchemaProgram.Compile(JsonDocument.Parse(schema).RootElement);
        var spaced = 0;
        foreach (var text in WalkTexts(program, walks: 200, slack: 120))
        {
            spaced += text.Any(c => c is ' ' or '\n' or '\t' or '\r') ? 1 : 0;
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            Assert.Equal(["name", "n", "x", "tags", "any", "inner"], root.EnumerateObject().Select(p => p.Name));
            Assert.Equal(JsonValueKind.String, root.GetProperty("name").ValueKind);
            AssertSafeInteger(root.GetProperty("n"));
            AssertFinite(root.GetProperty("x"));
            Assert.All(root.GetProperty("tags").EnumerateArray(), AssertSafeInteger);
            AssertFinite(root.GetProperty("any"));
            var inner = root.GetProperty("inner");
            Assert.Equal(["ok", "v", "e"], inner.EnumerateObject().Select(p => p.Name));
            Assert.True(inner.GetProperty("ok").ValueKind is JsonValueKind.True or JsonValueKind.False, text);
            Assert.True(inner.GetProperty("v").ValueKind is JsonValueKind.Number or JsonValueKind.Null, text);
            AssertFinite(inner.GetProperty("v"));
            Assert.Equal(JsonValueKind.Object, inner.GetProperty("e").ValueKind);
            Assert.Empty(inner.GetProperty("e").EnumerateObject());
        }

        Assert.True(spaced > 150, $"only {spaced} of 200 walks wrote whitespace");
    }

    /// <summary>Every number a walk writes parses as a finite double, and an integer's as a safe integer.</summary>
    private static void AssertFinite(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                Assert.True(double.IsFinite(double.Parse(value.GetRawText(), CultureInfo.InvariantCulture)), value.GetRawText());
                break;
            case JsonValueKind.Object:
                foreach (var p in value.EnumerateObject())
                {
                    AssertFinite(p.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    AssertFinite(item);
                }

                break;
        }
    }

    private static void AssertSafeInteger(JsonElement value)
    {
        var raw = value.GetRawText();
        Assert.Equal(JsonValueKind.Number, value.ValueKind);
        Assert.True(value.TryGetInt64(out var n) && Math.Abs(n) <= (1L << 53) - 1 && !raw.Contains('.', StringComparison.Ordinal) && !raw.Contains('e', StringComparison.OrdinalIgnoreCase), raw);
    }

    /// <summary>
    /// Texts of random byte walks through <paramref name="program"/> within the fewest bytes plus up to <paramref name="slack"/>:
    /// half the time a gap's whitespace is left out of the draw, so walks also reach deep values.
    /// </summary>
    private static List<string> WalkTexts(JsonSchemaProgram program, int walks, int slack)
    {
        var random = new Random(7);
        var texts = new List<string>();
        var options = new List<(byte Byte, SchemaState State)>();
        for (var walk = 0; walk < walks; walk++)
        {
            var state = program.Start();
            var budget = program.MinBytesToFinish(state) + random.Next(0, slack);
            var bytes = new List<byte>();
            while (!state.Done)
            {
                options.Clear();
                var skipSpace = random.Next(2) == 0;
                for (var b = 0; b < 256; b++)
                {
                    var next = state;
                    if (program.Step(ref next, (byte)b) && bytes.Count + 1 + program.MinBytesToFinish(next) <= budget)
                    {
                        options.Add(((byte)b, next));
                    }
                }

                Assert.NotEmpty(options);
                var draw = skipSpace && options.Any(o => o.Byte is not ((byte)' ' or (byte)'\n' or (byte)'\t' or (byte)'\r'))
                    ? options.Where(o => o.Byte is not ((byte)' ' or (byte)'\n' or (byte)'\t' or (byte)'\r')).ToList()
                    : options;
                var (chosen, after) = draw[random.Next(draw.Count)];
                bytes.Add(chosen);
                state = after;
            }

            Assert.True(bytes.Count <= budget);
            texts.Add(Encoding.UTF8.GetString(bytes.ToArray()));
        }

        return texts;
    }

    private static decimal Parse(string s) => decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Values of <c>{"v": …}</c> written by 40 random walks of at most 20 bytes over the fewest.</summary>
    private static List<string> Walks(string valueSchema)
    {
        var program = JsonSchemaProgram.Compile(JsonDocument.Parse($"{{\"type\":\"object\",\"properties\":{{\"v\":{valueSchema}}}}}").RootElement);
        var random = new Random(42);
        var values = new List<string>();
        var options = new List<(byte Byte, SchemaState State)>();
        for (var walk = 0; walk < 40; walk++)
        {
            var state = program.Start();
            var budget = program.MinBytesToFinish(state) + random.Next(0, 20);
            var bytes = new List<byte>();
            while (!state.Done)
            {
                options.Clear();
                for (var b = 0; b < 256; b++)
                {
                    var next = state;
                    if (program.Step(ref next, (byte)b) && bytes.Count + 1 + program.MinBytesToFinish(next) <= budget)
                    {
                        options.Add(((byte)b, next));
                    }
                }

                Assert.NotEmpty(options);
                var (chosen, after) = options[random.Next(options.Count)];
                bytes.Add(chosen);
                state = after;
            }

            var text = Encoding.UTF8.GetString(bytes.ToArray());
            values.Add(JsonDocument.Parse(text).RootElement.GetProperty("v").GetRawText());
        }

        return values;
    }
}
