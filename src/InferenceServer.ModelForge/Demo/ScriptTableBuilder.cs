using InferenceServer.Engine.Text.Tokenization;
using InferenceServer.ModelForge.Decoder;
using InferenceServer.ModelForge.Tokenizer;

namespace InferenceServer.ModelForge.Demo;

/// <summary>Turns <see cref="ForgeScripts"/> into token transitions, checking that each mode stays deterministic.</summary>
internal sealed class ScriptTableBuilder
{
    private readonly BpeTokenizer _tokenizer;
    private readonly int _think;
    private readonly int _endThink;
    private readonly int _eos;
    private readonly IReadOnlyDictionary<string, int> _special;
    private readonly List<ScriptTransition> _transitions = [];
    private readonly HashSet<(int Mode, int Token)> _seen = [];

    public ScriptTableBuilder(BpeTokenizer tokenizer, ForgeVocabulary vocabulary)
    {
        _tokenizer = tokenizer;
        _think = vocabulary.SpecialTokenIds["<think>"];
        _endThink = vocabulary.SpecialTokenIds["</think>"];
        _eos = vocabulary.EosId;
        _special = vocabulary.SpecialTokenIds;
    }

    /// <summary>The demo's modes, then one more per <paramref name="extraModes"/> entry: its trigger and the chain it says.</summary>
    public ScriptTable Build(IReadOnlyList<(int Trigger, int[] Chain)>? extraModes = null)
    {
        // Mode 0: <think> reasoning </think> answer <eos>; without thinking the prompt already ends in </think>.
        Chain(0, [_think, .. Encode(ForgeScripts.DefaultReasoning), _endThink, .. Encode(ForgeScripts.DefaultAnswer), _eos]);

        // Mode 1 ("forever"): an empty think block, then an answer that loops tick/tock without end.
        var tick = Single(ForgeScripts.ForeverLoop[0]);
        var tock = Single(ForgeScripts.ForeverLoop[1]);
        Chain(1, [_think, _endThink, .. Encode(ForgeScripts.ForeverStart), tick, tock]);
        Add(1, tock, tick);

        // Mode 2 ("weather"): reasoning, then a DeepSeek V3.1-style tool call (absent from a Hermes-only vocabulary).
        if (_special.ContainsKey("<｜tool▁calls▁begin｜>"))
        {
            Chain(2,
            [
                _think, .. Encode(ForgeScripts.WeatherReasoning), _endThink, S("<｜tool▁calls▁begin｜>"), S("<｜tool▁call▁begin｜>"),
                .. Encode(ForgeScripts.WeatherTool), S("<｜tool▁sep｜>"), .. Encode(ForgeScripts.WeatherArguments), S("<｜tool▁call▁end｜>"),
                S("<｜tool▁calls▁end｜>"), _eos,
            ]);
        }

        // Mode 3 ("clock"): a Qwen/Hermes-style <tool_call>{json}</tool_call>.
        Chain(3, [_think, _endThink, S("<tool_call>"), .. Encode(ForgeScripts.ClockCall), S("</tool_call>"), _eos]);

        // Mode 4 ("json"): a JSON answer.
        Chain(4, [_think, _endThink, .. Encode(ForgeScripts.JsonAnswer), _eos]);

        // Mode 5 ("Once"): a raw completion of "Once upon a time".
        Chain(5, [Single(" time"), .. Encode(ForgeScripts.StoryEnding), _eos]);

        // Mode 6 (<｜fim▁hole｜>): the fill after <｜fim▁end｜>.
        Chain(6, [S("<｜fim▁end｜>"), .. Encode(ForgeScripts.FimFill), _eos]);

        // Mode 7 ("pretty"): JSON with whitespace in every kind of gap.
        Chain(7, [_think, _endThink, .. Encode(ForgeScripts.SpacedJson), _eos]);

        // Mode 8 ("forecast"): a DeepSeek-marker tool call whose arguments are that JSON.
        if (_special.ContainsKey("<｜tool▁calls▁begin｜>"))
        {
            Chain(8,
            [
                _think, _endThink, S("<｜tool▁calls▁begin｜>"), S("<｜tool▁call▁begin｜>"), .. Encode(ForgeScripts.ForecastTool), S("<｜tool▁sep｜>"),
                .. Encode(ForgeScripts.SpacedJson), S("<｜tool▁call▁end｜>"), S("<｜tool▁calls▁end｜>"), _eos,
            ]);
        }

        int[] triggers =
        [
            Single(ForgeScripts.ForeverTrigger), Single(ForgeScripts.WeatherTrigger), Single(ForgeScripts.ClockTrigger),
            Single(ForgeScripts.JsonTrigger), Single(ForgeScripts.StoryTrigger), S("<｜fim▁hole｜>"),
            Single(ForgeScripts.SpacedJsonTrigger), Single(ForgeScripts.ForecastTrigger),
            .. (extraModes ?? []).Select(m => m.Trigger),
        ];
        for (var i = 0; i < (extraModes?.Count ?? 0); i++)
        {
            Chain(9 + i, extraModes![i].Chain);
        }

        // The user-turn marker resets the mode: only a trigger in the last user message (or after it) chooses a script,
        // not one in the system prompt, a tool's description or an earlier turn.
        return new ScriptTable(triggers, _transitions, [S("<｜User｜>")]);
    }

    private int[] Encode(string text) => _tokenizer.Encode(text);

    private int S(string special) => _special[special];

    private int Single(string word)
    {
        var ids = _tokenizer.Encode(word);
        return ids.Length == 1 ? ids[0] : throw new InvalidOperationException($"Forge word '{word}' is {ids.Length} tokens, not one.");
    }

    private void Chain(int mode, int[] tokens)
    {
        for (var i = 0; i + 1 < tokens.Length; i++)
        {
            if (tokens[i] == _eos)
            {
                break;
            }

            Add(mode, tokens[i], tokens[i + 1]);
        }
    }

    private void Add(int mode, int current, int next)
    {
        if (!_seen.Add((mode, current)))
        {
            throw new InvalidOperationException($"Script mode {mode} uses token {current} ('{_tokenizer.IdToToken(current)}') twice; scripts must not repeat a token.");
        }

        if (next != _eos)
        {
            _transitions.Add(new ScriptTransition(mode, current, next));
        }
    }
}
