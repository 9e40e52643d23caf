using System.Text;
using System.Text.Json;
using InferenceServer.Engine.Generation.Constraints;

namespace InferenceServer.Tests.Generation.Constraints;

/// <summary>pattern, format, bounds and multipleOf, enforced byte by byte by <see cref="JsonSchemaProgram"/>.</summary>
public sealed class SchemaKeywordTests
{
    private static JsonSchemaProgram Program(string valueSchema) =>
        JsonSchemaProgram.Compile(JsonDocument.Parse($"{{\"type\":\"object\",\"properties\":{{\"v\":{valueSchema}}}}}").RootElement);

    /// <summary>Feeds <c>{"v":value}</c>; true when every byte is taken and the object completes.</summary>
    private static bool Accepts(string valueSchema, string value)
    {
        var program = Program(valueSchema);
        var state = program.Start();
        foreach (var b in Encoding.UTF8.GetBytes($$"""{"v":{{value}}}"""))
        {
            if (!program.Step(ref state, b))
            {
                return false;
            }
        }

        return state.Done;
    }

    [Theory]
    [InlineData("\"<b>\\\"é\\\" & 'x'</b>\"", true)]
    [InlineData("\"\\u003Cb>\\\"é\\\" & 'x'</b>\"", false)]
    [InlineData("\"<b>\\\"\\u00e9\\\" & 'x'</b>\"", false)]
    public void ConstAndEnumValuesAreSpelledAsWrittenEscapingOnlyWhatJsonRequires(string value, bool expected)
    {
        Assert.Equal(expected, Accepts("""{"const":"<b>\"é\" & 'x'</b>"}""", value));
        Assert.Equal(expected, Accepts("""{"enum":["<b>\"é\" & 'x'</b>", 1]}""", value));
    }

    [Theory]
    [InlineData("\"AB-123\"", true)]
    [InlineData("\"xxAB-123\"", false)]
    [InlineData("\"AB-12\"", false)]
    [InlineData("\"ab-123\"", false)]
    public void StringsFollowTheirPattern(string value, bool expected) =>
        Assert.Equal(expected, Accepts("""{"type":"string","pattern":"^[A-Z]{2}-\\d{3}$"}""", value));

    [Theory]
    [InlineData("""{"type":"string","format":"uuid"}""", "\"00000000-0000-0000-0000-00000000000f\"", true)]
    [InlineData("""{"type":"string","format":"uuid"}""", "\"not-a-uuid\"", false)]
    [InlineData("""{"type":"string","format":"ipv4"}""", "\"10.0.0.1\"", true)]
    [InlineData("""{"type":"string","format":"ipv4"}""", "\"10.0.0\"", false)]
    [InlineData("""{"type":"string","format":"email","pattern":"@example\\.com$"}""", "\"a@example.com\"", true)]
    [InlineData("""{"type":"string","format":"email","pattern":"@example\\.com$"}""", "\"a@example.org\"", false)]
    [InlineData("""{"type":"string","format":"date-time"}""", "\"anything\"", true)]
    public void StringsFollowTheirFormat(string schema, string value, bool expected) => Assert.Equal(expected, Accepts(schema, value));

    [Theory]
    [InlineData("""{"type":"integer","minimum":10,"maximum":20}""", "10", true)]
    [InlineData("""{"type":"integer","minimum":10,"maximum":20}""", "20", true)]
    [InlineData("""{"type":"integer","minimum":10,"maximum":20}""", "9", false)]
    [InlineData("""{"type":"integer","minimum":10,"maximum":20}""", "21", false)]
    [InlineData("""{"type":"integer","minimum":10,"maximum":20}""", "015", false)]
    [InlineData("""{"type":"integer","minimum":10,"maximum":20}""", "15.0", false)]
    [InlineData("""{"type":"integer","exclusiveMinimum":-3,"exclusiveMaximum":3}""", "-2", true)]
    [InlineData("""{"type":"integer","exclusiveMinimum":-3,"exclusiveMaximum":3}""", "-3", false)]
    [InlineData("""{"type":"integer","exclusiveMinimum":-3,"exclusiveMaximum":3}""", "3", false)]
    [InlineData("""{"type":"integer","minimum":0,"multipleOf":5}""", "35", true)]
    [InlineData("""{"type":"integer","minimum":0,"multipleOf":5}""", "36", false)]
    [InlineData("""{"type":"integer","minimum":0,"multipleOf":5}""", "-5", false)]
    [InlineData("""{"type":"integer","multipleOf":0.5}""", "3", true)]
    [InlineData("""{"type":"number","minimum":-1.5,"maximum":2.25}""", "-1.5", true)]
    [InlineData("""{"type":"number","minimum":-1.5,"maximum":2.25}""", "2.25", true)]
    [InlineData("""{"type":"number","minimum":-1.5,"maximum":2.25}""", "2.251", false)]
    [InlineData("""{"type":"number","minimum":-1.5,"maximum":2.25}""", "-1.6", false)]
    [InlineData("""{"type":"number","minimum":-1.5,"maximum":2.25}""", "0.0001", true)]
    [InlineData("""{"type":"number","minimum":-1.5,"maximum":2.25}""", "1e0", false)]
    [InlineData("""{"type":"number","minimum":-1.5,"maximum":2.25}""", "-0", true)]
    [InlineData("""{"type":"number","multipleOf":0.25}""", "1.75", true)]
    [InlineData("""{"type":"number","multipleOf":0.25}""", "1.7", false)]
    [InlineData("""{"type":"number","exclusiveMinimum":0,"maximum":1}""", "0", false)]
    [InlineData("""{"type":"number","exclusiveMinimum":0,"maximum":1}""", "0.5", true)]
    [InlineData("""{"type":"number","minimum":0,"exclusiveMinimum":true}""", "0", false)]
    public void NumbersStayInTheirBounds(string schema, string value, bool expected) => Assert.Equal(expected, Accepts(schema, value));

    [Fact]
    public void AByteIsRefusedAsSoonAsNoCompletionFits()
    {
        var program = Program("""{"type":"integer","minimum":100,"maximum":250}""");
        var state = program.Start();
        foreach (var b in "{\"v\":"u8)
        {
            Assert.True(program.Step(ref state, b));
        }

        Assert.False(program.Step(ref state, (byte)'-'));
        var afterTwo = state;
        Assert.True(program.Step(ref afterTwo, (byte)'2'));
        Assert.Equal(3, program.MinBytesToFinish(afterTwo));
        Assert.False(program.Step(ref afterTwo, (byte)'6'));
        var afterThree = state;
        Assert.False(program.Step(ref afterThree, (byte)'3'));
    }

    [Fact]
    public void TheFinishBoundCountsWhatThePatternAndBoundsStillOwe()
    {
        var program = JsonSchemaProgram.Compile(JsonDocument.Parse("""
            {"type":"object","properties":{"id":{"type":"string","pattern":"^x{4}$"},"n":{"type":"integer","minimum":1000}}}
            """).RootElement);
        var state = program.Start();
        Assert.Equal("{\"id\":\"xxxx\",\"n\":1000}".Length, program.MinBytesToFinish(state));
        foreach (var b in "{\"id\":\"x"u8)
        {
            Assert.True(program.Step(ref state, b));
        }

        Assert.Equal("xxx\",\"n\":1000}".Length, program.MinBytesToFinish(state));
    }

    [Theory]
    [InlineData("""{"type":"string","pattern":"(?!x)"}""", "pattern")]
    [InlineData("""{"type":"integer","minimum":5,"maximum":3}""", "minimum")]
    [InlineData("""{"type":"integer","minimum":1,"maximum":4,"multipleOf":5}""", "multipleOf")]
    [InlineData("""{"type":"number","multipleOf":0}""", "multipleOf")]
    public void WhatCannotBeEnforcedIsAnErrorWhenStrictAndIgnoredOtherwise(string schema, string keyword)
    {
        var root = JsonDocument.Parse($"{{\"type\":\"object\",\"properties\":{{\"v\":{schema}}}}}").RootElement;
        Assert.Equal(keyword, Assert.Throws<SchemaException>(() => JsonSchemaProgram.Compile(root)).Keyword);
        Assert.NotNull(JsonSchemaProgram.Compile(root, strict: false));
    }
}
