using InferenceServer.Engine.Text.Tokenization;
using InferenceServer.ModelForge.Decoder;
using InferenceServer.ModelForge.Tokenizer;

namespace InferenceServer.ModelForge.Demo;

/// <summary>
/// The copy-heavy workload of the speculation benchmark and tests: a scripted model that, asked to <c>quote</c>,
/// writes back <see cref="Passage"/> with two words changed, as a code edit or a retrieval answer does with its
/// prompt. The passage's 100 words are distinct whole-word tokens (a script never repeats a token in a mode), so its
/// greedy output is known exactly: <see cref="Quoted"/>, then EOS.
/// </summary>
public static class QuoteScript
{
    /// <summary>The word that starts the quote (the mode's trigger).</summary>
    public const string Trigger = " quote";

    /// <summary>The two edits: the passage word at each index is replaced by the new word in the answer.</summary>
    public static IReadOnlyList<(int Index, string Word)> Edits { get; } = [(30, " changed"), (70, " renamed")];

    /// <summary>100 distinct words, each one token of the quote model's vocabulary.</summary>
    public static IReadOnlyList<string> Words { get; } = MakeWords();

    /// <summary>The passage a prompt carries.</summary>
    public static string Passage => string.Concat(Words);

    /// <summary>What the model answers: the passage with <see cref="Edits"/> applied.</summary>
    public static string Quoted => string.Concat(Words.Select((w, i) => Edits.FirstOrDefault(e => e.Index == i).Word ?? w));

    /// <summary>The vocabulary's whole words: the demo's, the trigger, the passage and the edits.</summary>
    internal static IReadOnlyList<string> WholeWords => [.. ForgeScripts.WholeWords, Trigger, .. Words, .. Edits.Select(e => e.Word)];

    /// <summary>Mode 1 (after <see cref="Trigger"/>): from the generation prompt's last token through the quote to EOS.</summary>
    internal static ScriptTable Table(BpeTokenizer tokenizer, ForgeVocabulary vocabulary)
    {
        int Single(string word)
        {
            var ids = tokenizer.Encode(word);
            return ids.Length == 1 ? ids[0] : throw new InvalidOperationException($"Quote word '{word}' is {ids.Length} tokens, not one.");
        }

        var think = vocabulary.SpecialTokenIds["<think>"];
        var endThink = vocabulary.SpecialTokenIds["</think>"];
        var chain = new List<int> { think, endThink };
        for (var i = 0; i < Words.Count; i++)
        {
            chain.Add(Single(Edits.FirstOrDefault(e => e.Index == i).Word ?? Words[i]));
        }

        var transitions = new List<ScriptTransition>();
        for (var i = 0; i + 1 < chain.Count; i++)
        {
            transitions.Add(new ScriptTransition(1, chain[i], chain[i + 1]));
        }

        return new ScriptTable([Single(Trigger)], transitions, [vocabulary.SpecialTokenIds["<｜User｜>"]]);
    }

    private static string[] MakeWords()
    {
        string[] stems = ["load", "parse", "store", "fetch", "merge", "split", "sort", "scan", "send", "read"];
        string[] objects = ["Config", "Header", "Buffer", "Token", "Record", "Cache", "Frame", "Index", "Batch", "Entry"];
        return [.. stems.SelectMany(s => objects.Select(o => " " + s + o))];
    }
}
