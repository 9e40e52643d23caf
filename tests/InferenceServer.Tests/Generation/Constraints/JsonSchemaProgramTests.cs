using System.Text;
using System.Text.Json;
using InferenceServer.Engine.Generation.Constraints;

namespace InferenceServer.Tests.Generation.Constraints;

public sealed class JsonSchemaProgramTests
{
    private const string Person = """
        {"type":"object","properties":{
          "name":{"type":"string"},
          "age":{"type":"integer"},
          "tags":{"type":"array","items":{"enum":["a","bc"]}},
          "ok":{"type":"boolean"},
          "next":{"anyOf":[{"$ref":"#/$defs/node"},{"type":"null"}]}},
         "$defs":{"node":{"type":"object","properties":{"v":{"type":"number"},"next":{"anyOf":[{"$ref":"#/$defs/node"},{"type":"null"}]}}}}}
        """;

    private static bool Matches(string schema, string text, out SchemaState state)
    {
        var program = JsonSchemaProgram.Compile(JsonDocument.Parse(schema).RootElement);
        state = program.Start();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (!program.Step(ref state, b))
            {
                return false;
            }
        }

        return state.Done;
    }

    [Theory]
    [InlineData("{\"name\":\"Ann\",\"age\":42,\"tags\":[\"a\",\"bc\"],\"ok\":true,\"next\":null}")]
    [InlineData("{\"name\":\"\",\"age\":-1,\"tags\":[],\"ok\":false,\"next\":{\"v\":1.5e3,\"next\":{\"v\":0,\"next\":null}}}")]
    [InlineData("{\"name\": \"Ann\", \"age\": 42, \"tags\": [\"a\", \"bc\"], \"ok\": true, \"next\": null}")]
    [InlineData("{\n  \"name\" : \"Ann\",\n  \"age\": 42 ,\n  \"tags\": [\n    \"a\",\n    \"bc\"\n  ],\r\n\t\"ok\": true,\n  \"next\": {\n    \"v\": 1,\n    \"next\": null\n  }\n}")]
    [InlineData("{ \"name\":\"A\",\"age\":4,\"tags\":[ ],\"ok\":false,\"next\":null }")]
    public void TextsThatFollowTheSchemaAreAccepted(string text) => Assert.True(Matches(Person, text, out _));

    [Theory]
    [InlineData("{\"age\":42}")]
    [InlineData("{\"name\":1}")]
    [InlineData("{\"name\":\"A\",\"age\":4.5}")]
    [InlineData("{\"name\":\"A\",\"age\":4,\"tags\":[\"b\"]}")]
    [InlineData("{\"name\":\"A\",\"age\":4,\"tags\":[],\"ok\":1}")]
    [InlineData("{\"name\":\"A\",\"age\":4,\"tags\":[],\"ok\":true,\"next\":{\"w\":1}}")]
    [InlineData("{\"name\":\"A\",\"age\":4,\"tags\":[],\"ok\":true,\"next\":null,\"extra\":1}")]
    [InlineData(" {\"name\":\"A\",\"age\":4,\"tags\":[],\"ok\":true,\"next\":null}")]
    [InlineData("{\" name\":\"A\",\"age\":4,\"tags\":[],\"ok\":true,\"next\":null}")]
    [InlineData("{\"name\":\"A\",\"age\":4 2,\"tags\":[],\"ok\":true,\"next\":null}")]
    [InlineData("{\"name\":\"A\",\"age\":4,\"tags\":[],\"ok\":t rue,\"next\":null}")]
    [InlineData("{\"name\":\"A\",\"age\":9007199254740992,\"tags\":[],\"ok\":true,\"next\":null}")]
    [InlineData("{\"name\":\"A\",\"age\":4,\"tags\":[],\"ok\":true,\"next\":{\"v\":1e100,\"next\":null}}")]
    public void TextsThatBreakTheSchemaAreRejected(string text) => Assert.False(Matches(Person, text, out _));

    [Fact]
    public void AGapTakesAtMostTheWhitespaceCap()
    {
        var gap = new string(' ', JsonWhitespace.MaxRun - 1) + "\n";
        var text = "{\"name\":" + gap + "\"A\",\"age\":9007199254740991,\"tags\":[],\"ok\":true,\"next\":null}";
        Assert.True(Matches(Person, text, out _));
        Assert.False(Matches(Person, text.Replace(gap, gap + " ", StringComparison.Ordinal), out _));
    }

    [Fact]
    public void WhitespaceOwesNothingAndLeavesTheFinishBoundAlone()
    {
        var program = JsonSchemaProgram.Compile(JsonDocument.Parse(Person).RootElement);
        var state = program.Start();
        foreach (var b in "{\n  \"name\" : \"x\" ,\n  \"age\": "u8)
        {
            Assert.True(program.Step(ref state, b));
        }

        var rest = "0,\"tags\":[],\"ok\":true,\"next\":null}";
        Assert.Equal(rest.Length, program.MinBytesToFinish(state));
        foreach (var b in "\n\t "u8)
        {
            Assert.True(program.Step(ref state, b));
            Assert.Equal(rest.Length, program.MinBytesToFinish(state));
        }
    }

    [Fact]
    public void TheFinishBoundCoversWhatIsStillOwed()
    {
        var program = JsonSchemaProgram.Compile(JsonDocument.Parse(Person).RootElement);
        var state = program.Start();
        foreach (var b in "{\"name\":\"x"u8)
        {
            Assert.True(program.Step(ref state, b));
        }

        var rest = "\",\"age\":0,\"tags\":[],\"ok\":true,\"next\":null}";
        Assert.Equal(rest.Length, program.MinBytesToFinish(state));
        foreach (var b in Encoding.UTF8.GetBytes(rest))
        {
            Assert.True(program.Step(ref state, b));
        }

        Assert.True(state.Done);
    }
}
