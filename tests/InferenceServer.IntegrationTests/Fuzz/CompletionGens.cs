using CsCheck;
using static InferenceServer.IntegrationTests.Fuzz.JsonGens;
using static InferenceServer.IntegrationTests.Fuzz.SchemaGens;

namespace InferenceServer.IntegrationTests.Fuzz;

/// <summary>Text completion and FIM requests (<c>suffix</c>) on /beta/completions, /v1/completions and /completions.</summary>
public static class CompletionGens
{
    public static readonly string[] Paths = ["beta/completions", "v1/completions", "completions"];

    public static readonly Gen<string> Body = Request(
        new Field("model", Strings("deepseek-chat", "deepseek-reasoner"), Presence.Required, Strings("no-such-model")),
        new Field("prompt", Gen.OneOf<string>(Strings("def fib(n):", "Once upon", ""), ArrayOf(Strings("Once", "upon"), 0, 2)), Presence.Required),
        new Field("suffix", Strings("    return x", "", "<｜fim▁hole｜>")),
        new Field("echo", Bool),
        new Field("logprobs", Ints(0, 5)),
        new Field("max_tokens", MaxTokens, Presence.Always),
        new Field("stop", Stop),
        new Field("stream", Bool),
        new Field("stream_options", StreamOptions),
        new Field("temperature", Temperature),
        new Field("top_p", TopP),
        new Field("frequency_penalty", Penalty),
        new Field("presence_penalty", Penalty),
        new Field("seed", Seed),
        new Field("n", Ints(1, 1), Odd: Ints(2, 3)),
        new Field("user", Strings("u-1")));

    public static readonly Gen<FuzzCase> Cases = Gen.Select(Gen.OneOf(Paths), Body, (path, body) => FuzzCase.Json("completions", "generated", path, body));
}
