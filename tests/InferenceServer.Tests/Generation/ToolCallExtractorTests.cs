using System.Text;
using InferenceServer.Engine.Generation;

namespace InferenceServer.Tests.Generation;

public sealed class ToolCallExtractorTests
{
    private static (string Content, List<ToolCallDelta> Calls) Run(IEnumerable<string> pieces)
    {
        var extractor = new ToolCallExtractor();
        var content = new StringBuilder();
        var calls = new List<ToolCallDelta>();
        foreach (var p in pieces)
        {
            extractor.Push(p, content, calls);
        }

        extractor.Flush(content, calls);
        return (content.ToString(), calls);
    }

    private static IEnumerable<string> OneCharAtATime(string text) => text.Select(c => c.ToString());

    [Fact]
    public void V31MarkersSplitAcrossPiecesGiveNameThenArgumentFragments()
    {
        const string text = "Sure.<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>get_weather<｜tool▁sep｜>{\"city\": \"Paris\"}<｜tool▁call▁end｜>" +
            "<｜tool▁call▁begin｜>get_time<｜tool▁sep｜>{}<｜tool▁call▁end｜><｜tool▁calls▁end｜>";
        var (content, calls) = Run(OneCharAtATime(text));
        Assert.Equal("Sure.", content);
        Assert.Equal("get_weather", calls[0].Name);
        Assert.NotNull(calls[0].Id);
        Assert.Equal("{\"city\": \"Paris\"}", string.Concat(calls.Where(c => c.Index == 0).Select(c => c.Arguments)));
        var second = calls.Single(c => c.Index == 1 && c.Id is not null);
        Assert.Equal("get_time", second.Name);
        Assert.NotEqual(calls[0].Id, second.Id);
    }

    [Fact]
    public void V3FunctionFormIsParsedAtTheEndOfTheCall()
    {
        const string text = "<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>get_weather\n```json\n{\"location\": \"Paris\"}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>";
        var (content, calls) = Run([text]);
        Assert.Equal(string.Empty, content);
        var call = Assert.Single(calls);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("{\"location\": \"Paris\"}", call.Arguments);
    }

    [Fact]
    public void HermesCallsAreParsedAndBrokenOnesStayContent()
    {
        var (content, calls) = Run(OneCharAtATime("<tool_call>{\"name\": \"f\", \"arguments\": {\"x\": 1}}</tool_call>"));
        Assert.Equal(string.Empty, content);
        Assert.Equal("f", calls[0].Name);
        Assert.Equal("{\"x\": 1}", string.Concat(calls.Select(c => c.Arguments)));

        var (kept, none) = Run(["a <tool_call>not json</tool_call> b"]);
        Assert.Empty(none);
        Assert.Equal("a <tool_call>not json</tool_call> b", kept);
    }

    [Fact]
    public void TextThatOnlyLooksLikeAMarkerStartIsReleased()
    {
        var (content, calls) = Run(["a <tool", "_x> and <｜tool"]);
        Assert.Empty(calls);
        Assert.Equal("a <tool_x> and <｜tool", content);
    }
}
