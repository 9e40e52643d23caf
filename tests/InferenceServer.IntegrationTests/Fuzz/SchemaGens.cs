using CsCheck;

namespace InferenceServer.IntegrationTests.Fuzz;

/// <summary>Pieces shared by the chat, completion and Anthropic schemas: JSON schemas, stops, sampling, images.</summary>
public static class SchemaGens
{
    /// <summary>JSON schemas as tools and json_schema outputs carry them, sound and hostile (recursion, odd patterns).</summary>
    public static readonly Gen<string> JsonSchema = Gen.OneOf(
        "{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"}},\"required\":[\"location\"]}",
        "{\"type\":\"object\",\"properties\":{\"code\":{\"type\":\"string\",\"pattern\":\"^[A-Z]{3}-\\\\d{3}$\"}},\"required\":[\"code\"]}",
        "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":5}}}",
        "{\"type\":\"object\",\"properties\":{\"s\":{\"type\":\"string\",\"pattern\":\"\\ud800\"}}}",
        "{\"type\":\"object\",\"properties\":{\"s\":{\"type\":\"string\",\"pattern\":\"(\"}}}",
        "{\"type\":\"object\",\"properties\":{\"s\":{\"type\":\"string\",\"pattern\":\"a{99999}\"}}}",
        "{\"type\":\"object\",\"properties\":{\"s\":{\"type\":\"string\",\"pattern\":\"((a|b)*c{100}){100}\"}}}",
        "{\"type\":\"object\",\"properties\":{\"s\":{\"type\":\"string\",\"pattern\":\"[z-a]\"}}}",
        "{\"type\":\"object\",\"properties\":{\"s\":{\"type\":\"string\",\"format\":\"ipv6\",\"minLength\":99999}}}",
        "{\"type\":\"object\",\"properties\":{\"x\":{\"$ref\":\"#\"}}}",
        "{\"type\":\"array\",\"items\":{\"$ref\":\"#\"}}",
        "{\"$ref\":\"#/$defs/a\",\"$defs\":{\"a\":{\"$ref\":\"#/$defs/a\"}}}",
        "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"number\",\"minimum\":1e400}}}",
        "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\",\"minimum\":5,\"maximum\":1}}}",
        "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"number\",\"multipleOf\":0}}}",
        "{\"enum\":[]}",
        "{\"anyOf\":[]}",
        "{\"type\":[\"string\",\"null\"]}",
        "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{}}",
        "{\"type\":\"object\",\"required\":[\"missing\"]}",
        "{\"type\":\"string\",\"enum\":[\"\\ud800\",\"a\"]}",
        "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"object\",\"properties\":{\"b\":{\"type\":\"object\",\"properties\":{\"c\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"minItems\":3}}}}}}}",
        "true",
        "{}");

    public static readonly Gen<string> Stop = Gen.OneOf("\"x\"", "[\" demo\"]", "[\"a\",\"b\"]", "[]", "\"\"", "[\"\\ud800\"]");

    public static readonly Gen<string> Bool = Gen.OneOf("true", "false");

    public static readonly Gen<string> Temperature = JsonGens.Tenths(0, 20);

    public static readonly Gen<string> TopP = JsonGens.Tenths(1, 10);

    public static readonly Gen<string> Penalty = JsonGens.Tenths(-20, 20);

    public static readonly Gen<string> Seed = Gen.Long.Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static readonly Gen<string> MaxTokens = JsonGens.Ints(1, 48);

    public static readonly Gen<string> StreamOptions = JsonGens.Object(new Field("include_usage", Bool));

    /// <summary>Image data as a client could send it, most of it broken: bad base64, truncated or huge-header PNGs, SVG.</summary>
    public static readonly Gen<string> ImageUrl = JsonGens.Strings(
        "data:image/png;base64," + Convert.ToBase64String(HostileImages.TinyPng),
        "data:image/png;base64," + Convert.ToBase64String(HostileImages.TruncatedPng),
        "data:image/png;base64," + Convert.ToBase64String(HostileImages.HugeDimensionsPng),
        "data:image/png;base64,!!!not base64!!!",
        "data:image/png;base64,",
        "data:;base64,AAAA",
        "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=",
        "file:///etc/passwd",
        "http://127.0.0.1:1/x.png",
        "ftp://example.invalid/x.png",
        "not a url");
}
