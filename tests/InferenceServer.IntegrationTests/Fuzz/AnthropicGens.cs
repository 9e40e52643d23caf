using CsCheck;
using static InferenceServer.IntegrationTests.Fuzz.JsonGens;
using static InferenceServer.IntegrationTests.Fuzz.SchemaGens;

namespace InferenceServer.IntegrationTests.Fuzz;

/// <summary>Anthropic Messages requests on /anthropic/v1/messages and /v1/messages.</summary>
public static class AnthropicGens
{
    public static readonly string[] Paths = ["anthropic/v1/messages", "v1/messages"];

    private static readonly Gen<string> Block = Object(
        new Field("type", Strings("text", "image", "tool_use", "tool_result", "thinking", "document", "redacted_thinking"), Presence.Required),
        new Field("text", Strings("Hi", "weather in Paris?")),
        new Field("id", Strings("toolu_1")),
        new Field("name", Strings("get_weather")),
        new Field("input", Gen.OneOf("{}", "{\"location\":\"Paris\"}")),
        new Field("tool_use_id", Strings("toolu_1")),
        new Field("content", Strings("sunny")),
        new Field("thinking", Strings("hmm")),
        new Field("signature", Strings("sig")),
        new Field("source", Object(
            new Field("type", Strings("base64", "url"), Presence.Required),
            new Field("media_type", Strings("image/png", "image/gif", "text/plain")),
            new Field("data", Strings(Convert.ToBase64String(HostileImages.TinyPng), Convert.ToBase64String(HostileImages.HugeDimensionsPng), "!!!")),
            new Field("url", Strings("http://127.0.0.1:1/x.png")))));

    private static readonly Gen<string> Message = Object(
        new Field("role", Strings("user", "assistant"), Presence.Required, Strings("system")),
        new Field("content", Gen.Frequency<string>((3, Strings("Hi", "")), (2, ArrayOf(Block, 0, 3))), Presence.Required));

    private static readonly Gen<string> SoundMessages = Gen.OneOf(
        "[{\"role\":\"user\",\"content\":\"Hi\"}]",
        "[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hi\"}]}]",
        "[{\"role\":\"user\",\"content\":\"weather?\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{}}]},{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":\"sunny\"}]}]");

    private static readonly Gen<string> Tool = Object(
        new Field("name", Strings("get_weather", "bad name!"), Presence.Required),
        new Field("description", Strings("Weather.")),
        new Field("input_schema", JsonSchema, Presence.Required));

    public static readonly Gen<string> Body = Request(
        new Field("model", Strings("deepseek-chat", "deepseek-reasoner"), Presence.Required, Strings("claude-sonnet-4-5", "")),
        new Field("max_tokens", MaxTokens, Presence.Always),
        new Field("messages", Gen.Frequency<string>((3, SoundMessages), (2, ArrayOf(Message, 0, 3))), Presence.Required),
        new Field("system", Gen.OneOf<string>(Strings("Be brief."), ArrayOf(Block, 0, 2))),
        new Field("tools", ArrayOf(Tool, 0, 2)),
        new Field("tool_choice", Object(new Field("type", Strings("auto", "any", "tool", "none"), Presence.Required), new Field("name", Strings("get_weather")))),
        new Field("stop_sequences", Stop),
        new Field("temperature", JsonGens.Tenths(0, 10)),
        new Field("top_p", TopP),
        new Field("top_k", Ints(1, 50)),
        new Field("thinking", Object(new Field("type", Strings("enabled", "disabled"), Presence.Required), new Field("budget_tokens", Ints(1024, 4096)))),
        new Field("stream", Bool),
        new Field("metadata", Object(new Field("user_id", Strings("u-1")))));

    public static readonly Gen<FuzzCase> Cases = Gen.Select(Gen.OneOf(Paths), Body, (path, body) => FuzzCase.Json("anthropic", "generated", path, body));
}
