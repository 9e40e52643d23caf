using System.Text;
using System.Text.Json;
using InferenceServer.Engine.Text.Tokenization;

namespace InferenceServer.Engine.Generation.Constraints;

/// <summary>
/// What constrained decoding keeps the output inside: a sequence of phases (special tokens, literal bytes, one of
/// some names, a JSON object), then end of sequence. Built once per request; each sequence walks it with its own
/// <see cref="GrammarState"/> in a <see cref="GrammarLogitsProcessor"/>.
/// </summary>
public sealed partial class TokenGrammar
{
    private TokenGrammar(GrammarPhase[] phases, string description)
    {
        Phases = phases;
        Description = description;
        (_namePhase, _minAfterChoice, _minAfter) = MeasureTails(phases);
    }

    /// <summary>For logs and errors: what the grammar enforces.</summary>
    public string Description { get; }

    internal GrammarPhase[] Phases { get; }

    /// <summary>
    /// When set, the grammar is not enforced until the model itself samples this token (DeepSeek's first tool-call
    /// marker, or the Hermes form's <c>&lt;tool_call&gt;</c> token) after any reasoning: free text or no call at all
    /// stays possible, and a call, once begun, is kept inside the grammar.
    /// </summary>
    public int? StartToken { get; private init; }

    /// <summary>
    /// The Hermes form's <c>&lt;tool_call&gt;</c> and <c>&lt;/tool_call&gt;</c> where each is one token of the vocabulary
    /// (Qwen's added tokens): they may only be emitted where the grammar's literal wants them, never inside a JSON
    /// string, so the host's parser (which looks for the first <c>&lt;/tool_call&gt;</c>) cannot be cut short by one.
    /// </summary>
    internal int[] TagTokens { get; private init; } = [];

    /// <summary>The one token that spells <c>&lt;tool_call&gt;</c> in this vocabulary, for the Hermes form; null otherwise.</summary>
    private int? HermesOpen { get; init; }

    /// <summary>
    /// This tool-call grammar, enforced only from the model's own first tool-call marker on (<c>tool_choice: auto</c>
    /// with strict functions): DeepSeek's first marker, or for the Hermes form the <c>&lt;tool_call&gt;</c> token (its
    /// bytes then begin the grammar's first literal). Null when the Hermes form's <c>&lt;tool_call&gt;</c> is not one
    /// token: the model then writes it in pieces (<c>&lt;</c>, <c>tool</c>, …) that are ordinary text until the last
    /// one, so no single sampled token says that a call has begun, and the call is left unconstrained.
    /// </summary>
    public TokenGrammar? WhenToolCallStarts() => Phases switch
    {
        [{ Kind: GrammarPhaseKind.Special, SpecialId: var first }, ..] =>
            new TokenGrammar(Phases, Description + ", from the model's first tool-call marker") { StartToken = first },
        [{ Kind: GrammarPhaseKind.Literal }, ..] when HermesOpen is { } open =>
            new TokenGrammar(Phases, Description + ", from the model's <tool_call> token") { StartToken = open, TagTokens = TagTokens },
        _ => null,
    };

    /// <summary><c>response_format: json_object</c>: one JSON object, then the end.</summary>
    public static TokenGrammar JsonObject() => new([GrammarPhase.Json, GrammarPhase.End], "json_object");

    /// <summary><c>response_format: json_schema</c>: one value matching <paramref name="schema"/>, then the end.</summary>
    /// <param name="strict">With <c>strict: true</c>, a pattern or bound that cannot be enforced is a <see cref="SchemaException"/>.</param>
    public static TokenGrammar JsonSchema(JsonElement schema, bool strict = true) =>
        new([new GrammarPhase(GrammarPhaseKind.Json, Schemas: [JsonSchemaProgram.Compile(schema, strict)]), GrammarPhase.End], "json_schema");

    /// <summary>
    /// <c>tool_choice: required</c> or a named function: exactly one call to one of <paramref name="names"/> with a
    /// JSON object as arguments, in DeepSeek's markers when the vocabulary has them, else in the Hermes form.
    /// </summary>
    /// <param name="schemas">
    /// Per name, its parameters schema (null: any JSON object). Compiled leniently: what cannot be enforced is ignored.
    /// </param>
    public static TokenGrammar ToolCall(BpeTokenizer tokenizer, IReadOnlyList<string> names, IReadOnlyList<JsonElement?>? schemas = null) =>
        ToolCall(tokenizer, names, schemas?.Select(e => e is { ValueKind: JsonValueKind.Object } schema ? JsonSchemaProgram.Compile(schema, strict: false) : null).ToArray());

    /// <inheritdoc cref="ToolCall(BpeTokenizer, IReadOnlyList{string}, IReadOnlyList{JsonElement?})"/>
    /// <param name="tokenizer">The model's tokenizer.</param>
    /// <param name="names">The function names a call may use.</param>
    /// <param name="programs">Per name, its compiled parameters schema (null: any JSON object); null: any object for all.</param>
    public static TokenGrammar ToolCall(BpeTokenizer tokenizer, IReadOnlyList<string> names, IReadOnlyList<JsonSchemaProgram?>? programs)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count is 0 or > 128)
        {
            throw new ArgumentException("A forced tool call needs between 1 and 128 function names.", nameof(names));
        }

        var nameBytes = names.Select(n => Encoding.UTF8.GetBytes(n)).ToArray();
        var nameList = new GrammarPhase(GrammarPhaseKind.Name, Names: nameBytes);
        var arguments = programs is null ? GrammarPhase.Json : new GrammarPhase(GrammarPhaseKind.Json, Schemas: [.. programs]);
        int? Special(string marker) => tokenizer.TokenToId(marker) is { } id && tokenizer.IsSpecial(id) ? id : null;
        if (Special(ToolCallExtractor.CallsBegin) is { } callsBegin && Special(ToolCallExtractor.CallBegin) is { } callBegin
            && Special(ToolCallExtractor.Separator) is { } separator && Special(ToolCallExtractor.CallEnd) is { } callEnd
            && Special(ToolCallExtractor.CallsEnd) is { } callsEnd)
        {
            return new TokenGrammar(
            [
                new(GrammarPhaseKind.Special, callsBegin), new(GrammarPhaseKind.Special, callBegin), nameList,
                new(GrammarPhaseKind.Special, separator), arguments, new(GrammarPhaseKind.Special, callEnd),
                new(GrammarPhaseKind.Special, callsEnd), GrammarPhase.End,
            ], "tool call (DeepSeek markers)");
        }

        int? Tag(string tag) => tokenizer.TokenToId(tag) is { } id && tokenizer.GetTokenBytes(id).SequenceEqual(Encoding.UTF8.GetBytes(tag)) ? id : null;
        var open = Tag(ToolCallExtractor.HermesOpen);
        var close = Tag(ToolCallExtractor.HermesClose);
        // {"name": "…", "arguments": {…}} between the tags, with the whitespace JSON allows around its tokens (and
        // between the tags and the object), so a model's own spacing, compact or Qwen's, stays on its path.
        return new TokenGrammar(
        [
            JsonLiteral(false, [ToolCallExtractor.HermesOpen, "{", "\"name\"", ":", "\""], false), nameList,
            JsonLiteral(false, ["\"", ",", "\"arguments\"", ":"], true), arguments,
            JsonLiteral(true, ["}", ToolCallExtractor.HermesClose], false), GrammarPhase.End,
        ], "tool call (Hermes form)")
        {
            HermesOpen = open,
            TagTokens = [.. new[] { open, close }.OfType<int>()],
        };
    }

    internal GrammarState Start()
    {
        var s = default(GrammarState);
        Enter(ref s, 0);
        return s;
    }

    /// <summary>Feeds one output byte; false when the byte breaks the grammar (the state is then undefined).</summary>
    internal bool Step(ref GrammarState s, byte b)
    {
        while (s.Phase < Phases.Length)
        {
            var phase = Phases[s.Phase];
            switch (phase.Kind)
            {
                case GrammarPhaseKind.Literal:
                    var literal = phase.Literal!;
                    if (phase.Gaps is { } gaps && gaps[s.Position] && JsonWhitespace.Is(b))
                    {
                        return ++s.Spaces <= JsonWhitespace.MaxRun;
                    }

                    if (s.Position == literal.Length)
                    {
                        // Complete, and past the whitespace that may follow it.
                        Enter(ref s, s.Phase + 1);
                        continue;
                    }

                    if (literal[s.Position] != b)
                    {
                        return false;
                    }

                    s.Spaces = 0;
                    if (++s.Position == literal.Length && phase.Gaps?[literal.Length] != true)
                    {
                        Enter(ref s, s.Phase + 1);
                    }

                    return true;
                case GrammarPhaseKind.Name:
                    var names = phase.Names!;
                    UInt128 still = 0;
                    for (var i = 0; i < names.Length; i++)
                    {
                        if ((s.Names & (UInt128.One << i)) != 0 && names[i].Length > s.Position && names[i][s.Position] == b)
                        {
                            still |= UInt128.One << i;
                        }
                    }

                    if (still != 0)
                    {
                        s.Names = still;
                        s.Position++;
                        return true;
                    }

                    if (!NameComplete(s, phase))
                    {
                        return false;
                    }

                    Choose(ref s, phase);
                    Enter(ref s, s.Phase + 1);
                    continue;
                case GrammarPhaseKind.Json:
                    var program = s.Program >= 0 ? phase.Schemas![s.Program] : null;
                    if (program is not null ? !program.Step(ref s.Schema, b) : !s.Json.Step(b))
                    {
                        return false;
                    }

                    if (program is not null ? s.Schema.Done : s.Json.IsDone)
                    {
                        Enter(ref s, s.Phase + 1);
                    }

                    return true;
                default:
                    return false;
            }
        }

        return false;
    }

    /// <summary>Feeds a special token; false when the grammar does not want it here.</summary>
    internal bool AcceptSpecial(ref GrammarState s, int id)
    {
        Settle(ref s);
        if (s.Phase < Phases.Length && Phases[s.Phase] is { Kind: GrammarPhaseKind.Special } phase && phase.SpecialId == id)
        {
            Enter(ref s, s.Phase + 1);
            return true;
        }

        return false;
    }

    /// <summary>Whether <paramref name="s"/> is inside a literal (where <see cref="TagTokens"/> may be wanted).</summary>
    internal bool InLiteral(in GrammarState s) => s.Phase < Phases.Length && Phases[s.Phase].Kind == GrammarPhaseKind.Literal;

    /// <summary>Whether nothing but the end may follow.</summary>
    internal bool IsFinished(in GrammarState s) => s.Phase >= Phases.Length || Phases[s.Phase].Kind == GrammarPhaseKind.End;

    /// <summary>Whether the output may end here.</summary>
    internal bool CanEnd(GrammarState s)
    {
        Settle(ref s);
        return s.Phase >= Phases.Length || Phases[s.Phase].Kind == GrammarPhaseKind.End;
    }

    /// <summary>Moves past a name that is already complete, so a following special token or the end can be checked.</summary>
    private void Settle(ref GrammarState s)
    {
        if (s.Phase < Phases.Length && Phases[s.Phase] is { Kind: GrammarPhaseKind.Name } phase && NameComplete(s, phase))
        {
            Choose(ref s, phase);
            Enter(ref s, s.Phase + 1);
        }
        else if (s.Phase < Phases.Length && Phases[s.Phase] is { Kind: GrammarPhaseKind.Literal } literal && s.Position == literal.Literal!.Length)
        {
            Enter(ref s, s.Phase + 1);
        }
    }

    private void Enter(ref GrammarState s, int phase)
    {
        s.Phase = phase;
        s.Position = 0;
        s.Spaces = 0;
        s.Json = default;
        s.Program = -1;
        if (phase < Phases.Length && Phases[phase].Schemas is { } schemas)
        {
            var index = schemas.Length == 1 ? 0 : s.Chosen;
            if (schemas[index] is { } program)
            {
                s.Program = index;
                s.Schema = program.Start();
            }
        }

        s.Names = phase < Phases.Length && Phases[phase].Names is { } names
            ? (names.Length == 128 ? UInt128.MaxValue : (UInt128.One << names.Length) - 1)
            : 0;
    }
}
