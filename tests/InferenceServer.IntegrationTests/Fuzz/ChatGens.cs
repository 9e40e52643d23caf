using CsCheck;
using static InferenceServer.IntegrationTests.Fuzz.JsonGens;
using static InferenceServer.IntegrationTests.Fuzz.SchemaGens;

namespace InferenceServer.IntegrationTests.Fuzz;

/// <summary>Chat completions requests over the whole schema (on /chat/completions, /v1 and /beta).</summary>
public static class ChatGens
{
    public static readonly string[] Paths = ["chat/completions", "v1/chat/completions", "beta/chat/completions"];

    public static readonly Gen<string> Tool = Object(
        new Field("type", Strings("function"), Presence.Required),
        new Field("function", Object(
            new Field("name", Strings("get_weather", "get_time", "bad name!", "", new string('x', 65)), Presence.Required),
            new Field("description", Strings("Weather for a place.")),
            new Field("parameters", JsonSchema),
            new Field("strict", Bool)), Presence.Required));

    public static readonly Gen<string> ToolChoice = Gen.OneOf<string>(
        Strings("auto", "none", "required"),
        Object(new Field("type", Strings("function"), Presence.Required),
            new Field("function", Object(new Field("name", Strings("get_weather", "nope"), Presence.Required)), Presence.Required)));

    public static readonly Gen<string> ResponseFormat = Gen.OneOf<string>(
        Object(new Field("type", Strings("text", "json_object", "xml"), Presence.Required)),
        Object(new Field("type", Strings("json_schema"), Presence.Required),
            new Field("json_schema", Object(new Field("name", Strings("ticket")), new Field("strict", Bool), new Field("schema", JsonSchema, Presence.Required)))));

    private static readonly Gen<string> ContentPart = Object(
        new Field("type", Strings("text", "image_url", "input_audio", "video"), Presence.Required),
        new Field("text", Strings("Hi", "json please")),
        new Field("image_url", Object(new Field("url", ImageUrl, Presence.Required), new Field("detail", Strings("low", "high", "auto")))));

    private static readonly Gen<string> Content = Gen.Frequency<string>(
        (4, Strings("Hi", "weather in Paris?", "json please", "", "def f(")),
        (2, ArrayOf(ContentPart, 0, 3)));

    private static readonly Gen<string> ToolCalls = ArrayOf(Object(
        new Field("id", Strings("call_1"), Presence.Required),
        new Field("type", Strings("function"), Presence.Required),
        new Field("function", Object(new Field("name", Strings("get_weather"), Presence.Required),
            new Field("arguments", Strings("{}", "{\"location\":\"Paris\"}", "not json"))), Presence.Required)), 0, 2);

    private static readonly Gen<string> Message = Object(
        new Field("role", Strings("user", "system", "assistant", "tool", "developer"), Presence.Required, Strings("wizard")),
        new Field("content", Content, Presence.Required),
        new Field("name", Strings("bob")),
        new Field("prefix", Bool),
        new Field("reasoning_content", Strings("hmm")),
        new Field("tool_call_id", Strings("call_1")),
        new Field("tool_calls", ToolCalls));

    private static readonly Gen<string> SoundMessages = Gen.OneOf(
        "[{\"role\":\"user\",\"content\":\"Hi\"}]",
        "[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hi\"}]",
        "[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hi\"}]}]",
        "[{\"role\":\"user\",\"content\":\"weather in Paris?\"}]",
        "[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hel\",\"prefix\":true}]",
        "[{\"role\":\"user\",\"content\":\"weather?\"},{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{}\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"sunny\"}]");

    private static readonly Gen<string> Messages = Gen.Frequency<string>((3, SoundMessages), (2, ArrayOf(Message, 0, 3)));

    public static readonly Gen<string> Body = Request(
        new Field("model", Strings("deepseek-chat", "deepseek-reasoner", "forge-random"), Presence.Required, Strings("no-such-model", "")),
        new Field("messages", Messages, Presence.Required),
        new Field("max_tokens", MaxTokens, Presence.Always),
        new Field("max_completion_tokens", MaxTokens),
        new Field("thinking", Object(new Field("type", Strings("enabled", "disabled"), Presence.Required, Strings("auto")), new Field("budget_tokens", Ints(1, 4096)))),
        new Field("reasoning_effort", Strings("low", "medium", "high", "none"), Odd: Strings("max", "xhigh")),
        new Field("temperature", Temperature),
        new Field("top_p", TopP),
        new Field("top_k", Ints(1, 50)),
        new Field("frequency_penalty", Penalty),
        new Field("presence_penalty", Penalty),
        new Field("seed", Seed),
        new Field("n", Ints(1, 1), Odd: Ints(2, 3)),
        new Field("stop", Stop),
        new Field("stream", Bool),
        new Field("stream_options", StreamOptions),
        new Field("response_format", ResponseFormat),
        new Field("tools", ArrayOf(Tool, 0, 3)),
        new Field("tool_choice", ToolChoice),
        new Field("logprobs", Bool),
        new Field("top_logprobs", Ints(0, 5)),
        new Field("user", Strings("u-1")));

    public static readonly Gen<FuzzCase> Cases = Gen.Select(Gen.OneOf(Paths), Body, (path, body) => FuzzCase.Json("chat", "generated", path, body));
}
