using System.Text;
using System.Text.Json;
using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Generation.Constraints;
using InferenceServer.Engine.Text.Tokenization;
using InferenceServer.ModelForge.Tokenizer;
using InferenceServer.Tests.Text.Tokenization;

namespace InferenceServer.Tests.Generation.Constraints;

/// <summary>
/// <c>strict</c> functions with <c>tool_choice: auto</c> on a Qwen-style vocabulary: <c>&lt;tool_call&gt;</c> is one
/// (non-special) added token and DeepSeek's markers are absent. Nothing is masked until the model samples that token;
/// from then on random logits always give a Hermes call the host parses into an allowed function with valid arguments.
/// </summary>
public sealed class HermesLazyGrammarTests
{
    private const string Weather = """{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer","minimum":1,"maximum":7},"unit":{"enum":["c","f"]}},"required":["city","days","unit"],"additionalProperties":false}""";
    private const string Time = """{"type":"object","properties":{"zone":{"type":"string"}},"required":["zone"],"additionalProperties":false}""";
    private static readonly string[] Names = ["get_weather", "get_time"];
    private static readonly (BpeTokenizer Tokenizer, ForgeVocabulary Vocabulary) Qwen = WriteQwenStyle();

    [Fact]
    public void TheVocabularyHasTheTagAsOneNonSpecialTokenAndNoDeepSeekMarkers()
    {
        var tokenizer = Qwen.Tokenizer;
        Assert.Null(tokenizer.TokenToId(ToolCallExtractor.CallsBegin));
        Assert.Empty(ToolCallExtractor.MarkerTokenIds(tokenizer));
        var open = tokenizer.TokenToId(ToolCallExtractor.HermesOpen);
        Assert.NotNull(open);
        Assert.False(tokenizer.IsSpecial(open.Value));
        Assert.Equal([open.Value], tokenizer.Encode(ToolCallExtractor.HermesOpen));
        Assert.Equal(open, Grammar().StartToken);
    }

    [Fact]
    public void BeforeTheTagNothingIsMaskedSoFreeTextOrTheEndMayFollow()
    {
        var grammar = Grammar();
        var processor = new GrammarLogitsProcessor(grammar, Qwen.Tokenizer, Eos, startsInsideThinking: false);
        var random = new Random(7);
        foreach (var word in (string[])["Hello", " world", "."])
        {
            var logits = RandomLogits(random);
            var before = logits.ToArray();
            processor.Apply(logits, tokensLeft: 3);
            Assert.Equal(before, logits);
            processor.Accept(Assert.Single(Qwen.Tokenizer.Encode(word)));
            Assert.False(processor.IsFinished);
        }
    }

    [Theory]
    [InlineData(1, 400)]
    [InlineData(2, 400)]
    [InlineData(3, 400)]
    [InlineData(4, 400)]
    [InlineData(5, 90)]
    [InlineData(6, 90)]
    [InlineData(7, 70)]
    [InlineData(8, 70)]
    public void AfterTheTagRandomLogitsAlwaysGiveAWellFormedCallWithinTheBudget(int seed, int maxTokens)
    {
        var tokenizer = Qwen.Tokenizer;
        var processor = new GrammarLogitsProcessor(Grammar(), tokenizer, Eos, startsInsideThinking: false);
        var random = new Random(seed);
        var text = new List<byte>();
        var used = 0;
        foreach (var token in (int[])[tokenizer.TokenToId("Hello")!.Value, Grammar().StartToken!.Value])
        {
            processor.Apply(RandomLogits(random), maxTokens - used);
            processor.Accept(token);
            text.AddRange(tokenizer.GetTokenBytes(token).ToArray());
            used++;
        }

        while (!processor.IsFinished)
        {
            Assert.True(used < maxTokens, $"seed {seed}: out of tokens after {Encoding.UTF8.GetString(text.ToArray())}");
            var logits = RandomLogits(random);
            processor.Apply(logits, maxTokens - used);
            var token = ArgMax(logits);
            Assert.DoesNotContain(token, Eos);
            processor.Accept(token);
            text.AddRange(tokenizer.GetTokenBytes(token).ToArray());
            used++;
        }

        // Finished: only the end of sequence is left.
        var last = RandomLogits(random);
        processor.Apply(last, maxTokens - used);
        Assert.Equal(Eos.Order(), Enumerable.Range(0, last.Length).Where(i => !float.IsNegativeInfinity(last[i])));

        var output = Encoding.UTF8.GetString(text.ToArray());
        Assert.StartsWith("Hello<tool_call>", output);
        Assert.EndsWith("}" + ToolCallExtractor.HermesClose, output.Replace("\n", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal).Replace("\t", string.Empty, StringComparison.Ordinal).Replace("\r", string.Empty, StringComparison.Ordinal));
        Assert.Equal(output.Length - ToolCallExtractor.HermesClose.Length, output.IndexOf(ToolCallExtractor.HermesClose, StringComparison.Ordinal));

        var (content, name, arguments) = Parse(output);
        Assert.Equal("Hello", content);
        using var args = JsonDocument.Parse(arguments);
        var properties = args.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        if (name == "get_weather")
        {
            Assert.Equal(["city", "days", "unit"], properties.Keys.Order());
            Assert.Equal(JsonValueKind.String, properties["city"].ValueKind);
            Assert.InRange(properties["days"].GetInt32(), 1, 7);
            Assert.Contains(properties["unit"].GetString(), (string[])["c", "f"]);
        }
        else
        {
            Assert.Equal("get_time", name);
            Assert.Equal(JsonValueKind.String, Assert.Single(properties, p => p.Key == "zone").Value.ValueKind);
            Assert.Single(properties);
        }
    }

    [Fact]
    public void TheTagInsideTheReasoningDoesNotStartTheGrammarButAfterItDoes()
    {
        var tokenizer = Qwen.Tokenizer;
        var grammar = Grammar();
        var processor = new GrammarLogitsProcessor(grammar, tokenizer, Eos, startsInsideThinking: true);
        var random = new Random(3);
        processor.Accept(grammar.StartToken!.Value);
        var logits = RandomLogits(random);
        var before = logits.ToArray();
        processor.Apply(logits, 100);
        Assert.Equal(before, logits);

        processor.Accept(tokenizer.TokenToId("</think>")!.Value);
        processor.Apply(logits, 100);
        Assert.Equal(before, logits);

        processor.Accept(grammar.StartToken.Value);
        processor.Apply(logits, 100);
        var allowed = Enumerable.Range(0, logits.Length).Where(i => !float.IsNegativeInfinity(logits[i])).Select(i => tokenizer.GetTokenBytes(i).ToArray()).ToList();
        Assert.NotEmpty(allowed);
        Assert.All(allowed, bytes => Assert.True(bytes[0] is (byte)'{' or (byte)' ' or (byte)'\n' or (byte)'\t' or (byte)'\r', Encoding.UTF8.GetString(bytes)));
    }

    [Theory]
    [InlineData("<tool_call>{\"name\":\"get_time\",\"arguments\":{\"zone\":\"UTC\"}}</tool_call>")]
    [InlineData("<tool_call>\n{\"name\": \"get_time\", \"arguments\": {\"zone\": \"UTC\"}}\n</tool_call>")]
    [InlineData("<tool_call>\n{\n  \"name\" : \"get_time\" ,\n  \"arguments\" :\n  {\n    \"zone\": \"UTC\"\n  }\n}\n</tool_call>")]
    public void TheHermesFormTakesACompactOrSpacedCallAsTheModelWritesIt(string call)
    {
        var grammar = TokenGrammar.ToolCall(Qwen.Tokenizer, Names, Schemas());
        var s = grammar.Start();
        foreach (var b in Encoding.UTF8.GetBytes(call))
        {
            Assert.True(grammar.Step(ref s, b), $"rejected '{(char)b}' in {call}");
        }

        Assert.True(grammar.CanEnd(s));
        Assert.Equal(0, grammar.MinTokensToFinish(s));
        var gap = grammar.Start();
        foreach (var b in Encoding.UTF8.GetBytes(ToolCallExtractor.HermesOpen + new string(' ', JsonWhitespace.MaxRun)))
        {
            Assert.True(grammar.Step(ref gap, b));
        }

        Assert.False(grammar.Step(ref gap, (byte)' '));
    }

    [Fact]
    public void WithoutTheTagAsOneTokenTheCallStaysUnconstrainedButAForcedCallIsStillHermes()
    {
        var llama = BpeTokenizer.Load(Path.Combine(TestTokenizerFolders.Llama3(), "tokenizer.json"));
        Assert.Null(llama.TokenToId(ToolCallExtractor.HermesOpen));
        var forced = TokenGrammar.ToolCall(llama, Names, Schemas());
        Assert.Equal("tool call (Hermes form)", forced.Description);
        Assert.Null(forced.WhenToolCallStarts());
    }

    private static IReadOnlySet<int> Eos => new HashSet<int> { Qwen.Vocabulary.EosId };

    private static TokenGrammar Grammar() => TokenGrammar.ToolCall(Qwen.Tokenizer, Names, Schemas()).WhenToolCallStarts()!;

    private static JsonElement?[] Schemas() => [JsonDocument.Parse(Weather).RootElement, JsonDocument.Parse(Time).RootElement];

    private static (BpeTokenizer, ForgeVocabulary) WriteQwenStyle()
    {
        var folder = TestTokenizerFolders.NewFolder("hermes");
        var vocabulary = ForgeTokenizerWriter.Write(folder, TestTokenizerFolders.Words, TestTokenizerFolders.Template, deepSeekToolMarkers: false);
        return (BpeTokenizer.Load(Path.Combine(folder, "tokenizer.json")), vocabulary);
    }

    private static float[] RandomLogits(Random random)
    {
        var logits = new float[Qwen.Tokenizer.VocabSize];
        for (var i = 0; i < logits.Length; i++)
        {
            logits[i] = (float)random.NextDouble();
        }

        return logits;
    }

    private static int ArgMax(float[] logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>The host's own parser over the output, one character at a time as a stream would deliver it.</summary>
    private static (string Content, string Name, string Arguments) Parse(string output)
    {
        var extractor = new ToolCallExtractor();
        var content = new StringBuilder();
        var calls = new List<ToolCallDelta>();
        foreach (var c in output)
        {
            extractor.Push(c.ToString(), content, calls);
        }

        extractor.Flush(content, calls);
        Assert.All(calls, c => Assert.Equal(0, c.Index));
        var name = Assert.Single(calls, c => c.Name is not null).Name!;
        Assert.Contains(name, Names);
        return (content.ToString(), name, string.Concat(calls.Select(c => c.Arguments)));
    }
}
