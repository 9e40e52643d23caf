using InferenceServer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace InferenceServer.IntegrationTests.Fuzz;

/// <summary>
/// The fuzz suite on the demo server's routes (chat, completions/FIM, Anthropic messages, models, balance): generated
/// requests over each schema and a corpus of structural attacks, over raw sockets. Every answer is below 500, every 4xx
/// carries the route's envelope, none takes past the hang cap, and the demo still gives its scripted reply afterwards.
/// </summary>
[Collection(DemoServerCollection.Name)]
public sealed class DemoFuzzTests
{
    public const string ChatSound = "{\"model\":\"deepseek-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":40}";
    public const string CompletionSound = "{\"model\":\"deepseek-chat\",\"prompt\":\"def fib(n):\",\"suffix\":\"    return x\",\"max_tokens\":16}";
    public const string ChatToolSound = "{\"model\":\"deepseek-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"weather in Paris?\"}],\"max_tokens\":40," +
        "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Weather.\",\"parameters\":{\"type\":\"object\"," +
        "\"properties\":{\"location\":{\"type\":\"string\",\"pattern\":\"^[A-Z][a-z]+$\"}},\"required\":[\"location\"]}}}]," +
        "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}}";

    public const string ChatJsonSound = "{\"model\":\"deepseek-chat\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"}," +
        "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"json please\"}]}],\"max_tokens\":40,\"stop\":[\"x\"],\"thinking\":{\"type\":\"disabled\"}," +
        "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"t\",\"schema\":{\"type\":\"object\"," +
        "\"properties\":{\"code\":{\"type\":\"string\",\"pattern\":\"^[A-Z]{3}$\"}},\"required\":[\"code\"]}}}}";

    public const string AnthropicToolSound = "{\"model\":\"deepseek-chat\",\"max_tokens\":40,\"system\":[{\"type\":\"text\",\"text\":\"Be brief.\"}]," +
        "\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\"," +
        "\"name\":\"get_weather\",\"input\":{\"location\":\"Paris\"}}]},{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\"," +
        "\"content\":\"sunny\"}]}],\"tools\":[{\"name\":\"get_weather\",\"description\":\"Weather.\",\"input_schema\":{\"type\":\"object\"," +
        "\"properties\":{\"location\":{\"type\":\"string\"}}}}],\"tool_choice\":{\"type\":\"auto\"},\"stop_sequences\":[\"x\"],\"temperature\":0.5}";

    public const string AnthropicSound = "{\"model\":\"deepseek-chat\",\"max_tokens\":40,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"system\":\"Be brief.\"}";

    private readonly Uri _server;
    private readonly FuzzRun _run;

    public DemoFuzzTests(DemoServerFixture fixture, ITestOutputHelper output)
    {
        _server = fixture.Server.BaseAddress;
        _run = new FuzzRun(_server, output);
    }

    [Fact]
    public async Task Generated_requests_over_every_schema_get_an_envelope_and_never_a_5xx()
    {
        await _run.GenerateAsync(ChatGens.Cases, FuzzSettings.Iterations(150), stream: 1);
        await _run.GenerateAsync(CompletionGens.Cases, FuzzSettings.Iterations(60), stream: 2);
        await _run.GenerateAsync(AnthropicGens.Cases, FuzzSettings.Iterations(100), stream: 3);
        await _run.GenerateAsync(ReadOnlyRouteGens.Cases, FuzzSettings.Iterations(40), stream: 4);

        await StillServing.AssertChatAsync(_server);
        await StillServing.AssertAnthropicAsync(_server);
        _run.AssertClean("demo schemas");
    }

    [Fact]
    public async Task Structural_attacks_on_the_json_routes_get_an_envelope_and_never_a_5xx()
    {
        await _run.SendAllAsync(BodyAttacks.For("chat", "chat/completions", ChatSound));
        await _run.SendAllAsync(LeafAttacks.EveryField(ChatToolSound).Select(a => FuzzCase.Json("chat", a.Label, "beta/chat/completions", a.Body)));
        await _run.SendAllAsync(LeafAttacks.EveryField(ChatJsonSound).Select(a => FuzzCase.Json("chat", a.Label, "v1/chat/completions", a.Body)));
        await _run.SendAllAsync(BodyAttacks.ContentTypes("chat", "v1/chat/completions", ChatSound));
        await _run.SendAllAsync(BodyAttacks.For("completions", "beta/completions", CompletionSound));
        await _run.SendAllAsync(BodyAttacks.ContentTypes("completions", "beta/completions", CompletionSound));
        await _run.SendAllAsync(BodyAttacks.For("anthropic", "anthropic/v1/messages", AnthropicSound));
        await _run.SendAllAsync(LeafAttacks.EveryField(AnthropicToolSound).Select(a => FuzzCase.Json("anthropic", a.Label, "v1/messages", a.Body)));
        await _run.SendAllAsync(BodyAttacks.ContentTypes("anthropic", "v1/messages", AnthropicSound));

        await StillServing.AssertChatAsync(_server);
        await StillServing.AssertAnthropicAsync(_server);
        _run.AssertClean("demo structural attacks");
    }

    [Fact]
    public async Task Framing_and_header_abuse_gets_an_answer_and_leaves_the_server_serving()
    {
        await _run.SendAllAsync(FramingAttacks.For("chat/completions", ChatSound));
        await _run.SendAllAsync(FramingAttacks.For("anthropic/v1/messages", AnthropicSound));
        await _run.SendAsync(FramingAttacks.ChunkedOverLimit("http", "embeddings", 4 * 1024 * 1024));

        await StillServing.AssertChatAsync(_server);
        await StillServing.AssertAnthropicAsync(_server);
        _run.AssertClean("demo framing");
    }
}
