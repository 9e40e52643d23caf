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
    public void TextsThatFollowTheSchemaAreAccepted(string text) => Assert.True(Matches(Person, text, out _));

    [Theory]
    [InlineData("{\"age\":42}")]
    [InlineData("{\"name\":1}")]
    [InlineData("{\"name\":\"A\",\"age\":4.5}")]
    [InlineData("{\"name\":\"A\",\"age\":4,\"tags\":[\"b\"]}")]
    [InlineData("{\"name\":\"A\",\"age\":4,\"tags\":[],\"ok\":1}")]
    [InlineData("{\"name\":\"A\",\"age\":4,\"tags\":[],\"ok\":true,\"next\":{\"w\":1}}")]
    [InlineData("{\"name\":\"A\",\"age\":4,\"tags\":[],\"ok\":true,\"next\":null,\"extra\":1}")]
    [InlineData("{ \"name\":\"A\"}")]
    public void TextsThatBreakTheSchemaAreRejected(string text) => Assert.False(Matches(Person, text, out _));

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
