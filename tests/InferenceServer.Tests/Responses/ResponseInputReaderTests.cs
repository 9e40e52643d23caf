using System.Text.Json;
using InferenceServer.Errors;
using InferenceServer.Responses;

namespace InferenceServer.Tests.Responses;

public sealed class ResponseInputReaderTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public void ACodexReplayBecomesOneAssistantTurnWithReasoningAndCallsThenAToolMessage()
    {
        var messages = ResponseInputReader.Read(Json("""
            [
              {"role":"user","content":"Where am I?"},
              {"type":"reasoning","summary":[{"type":"summary_text","text":"Look it up."}]},
              {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Checking."}]},
              {"type":"function_call","call_id":"call_1","name":"where","arguments":"{}"},
              {"type":"function_call","call_id":"call_2","name":"when","arguments":"{}"},
              {"type":"function_call_output","call_id":"call_1","output":[{"type":"input_text","text":"Paris"}]}
            ]
            """));

        Assert.Equal(["user", "assistant", "tool"], messages.Select(m => m.Role));
        var assistant = messages[1];
        Assert.Equal("Checking.", assistant.Content!.Text);
        Assert.Equal("Look it up.", assistant.ReasoningContent);
        Assert.Equal(["call_1", "call_2"], assistant.ToolCalls!.Value.EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal("call_1", messages[2].ToolCallId);
        Assert.Equal("Paris", messages[2].Content!.Text);
    }

    [Fact]
    public void ACallWithoutAnAssistantMessageMakesItsOwnTurn()
    {
        var messages = ResponseInputReader.Read(Json("""
            [{"role":"user","content":"Hi"},{"type":"reasoning","content":[{"type":"reasoning_text","text":"Think."}]},{"type":"function_call","call_id":"c","name":"f"}]
            """));
        var turn = messages[1];
        Assert.Equal("assistant", turn.Role);
        Assert.Equal("Think.", turn.ReasoningContent);
        Assert.Equal("{}", turn.ToolCalls!.Value[0].GetProperty("function").GetProperty("arguments").GetString());
    }

    [Fact]
    public void AnAssistantMessageWithoutContentTakesTheCallsAfterIt()
    {
        var messages = ResponseInputReader.Read(Json("""
            [{"role":"user","content":"Hi"},{"type":"message","role":"assistant"},{"type":"function_call","call_id":"c","name":"f","arguments":"{}"}]
            """));
        Assert.Equal(2, messages.Count);
        Assert.Equal(string.Empty, messages[1].Content!.Text);
        Assert.Equal("c", messages[1].ToolCalls!.Value[0].GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("""[{"role":"tool","content":"x"}]""", "input[0].role")]
    [InlineData("""[{"type":"function_call_output","output":"x"}]""", "input[0].call_id")]
    [InlineData("""[{"role":"user","content":[{"type":"input_file","file_id":"f"}]}]""", "input[0].content")]
    [InlineData("""[]""", "input")]
    [InlineData("""42""", "input")]
    public void BadItemsAreRefusedNamingTheField(string json, string param)
    {
        var e = Assert.Throws<ApiException>(() => ResponseInputReader.Read(Json(json)));
        Assert.Equal(param, e.Param);
    }
}
