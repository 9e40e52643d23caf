using InferenceServer.ModelForge.Decoder;

namespace InferenceServer.Tests.ModelForge;

/// <summary>A script table with three trigger modes plus mode 0, a reset token, scripts of 10+ tokens, a cycle, and the expected output.</summary>
internal static class ScriptFixture
{
    public const int Vocab = 300;
    public const int Bos = 1;
    public const int Eos = 299;
    public const int Pad = 0;
    public const int Start = 10;
    public const int NoTransitionToken = 200;
    public const int Reset = 260;
    public static readonly int[] Triggers = [250, 251, 252];

    public static ScriptTable Table { get; } = CreateTable();

    public static DecoderSpec Spec { get; } = DecoderSpec.Demo(Vocab, Bos, Eos, Pad);

    /// <summary>What greedy decoding must produce after a prompt ending in <paramref name="last"/>, within <paramref name="count"/> tokens.</summary>
    public static List<int> Expected(int mode, int last, int count)
    {
        var expected = new List<int>();
        int current = last;
        while (expected.Count < count)
        {
            int? next = Table.Next(mode, current);
            expected.Add(next ?? Eos);
            if (next is null)
            {
                break;
            }

            current = next.Value;
        }

        return expected;
    }

    /// <summary>
    /// BOS, then <paramref name="filler"/> deterministic tokens that are not triggers, with the trigger of <paramref name="mode"/>
    /// (if any) inserted at <paramref name="triggerAt"/>, then <paramref name="last"/>.
    /// </summary>
    public static int[] Prompt(int mode, int filler, int triggerAt, int last)
    {
        var prompt = new List<int> { Bos };
        ulong state = 12345;
        for (int i = 0; i < filler; i++)
        {
            state = (state * 6364136223846793005UL) + 1442695040888963407UL;
            prompt.Add(100 + (int)((state >> 33) % 150));
        }

        if (mode > 0)
        {
            prompt.Insert(Math.Clamp(triggerAt, 1, prompt.Count), Triggers[mode - 1]);
        }

        prompt.Add(last);
        return [.. prompt];
    }

    private static ScriptTable CreateTable()
    {
        var transitions = new List<ScriptTransition>();
        Chain(transitions, 0, [Start, .. Enumerable.Range(11, 11)]);                 // 10 → 11 … 21, then EOS
        Chain(transitions, 1, [Start, .. Enumerable.Range(30, 11)]);                 // 10 → 30 … 40, then EOS
        Chain(transitions, 2, [Start, .. Enumerable.Range(50, 10), 50]);             // 10 → 50 … 59 → 50: a cycle
        Chain(transitions, 3, [Start, .. Enumerable.Range(70, 6), 12, 13, 14, 15]);  // reuses mode 0's tokens with other successors
        for (int mode = 1; mode <= 3; mode++)
        {
            // A prompt that ends with its trigger continues like one that ends with Start.
            transitions.Add(new ScriptTransition(mode, Triggers[mode - 1], transitions.First(t => t.Mode == mode && t.CurrentToken == Start).NextToken));
        }

        return new ScriptTable(Triggers, transitions, [Reset]);
    }

    private static void Chain(List<ScriptTransition> transitions, int mode, int[] tokens)
    {
        for (int i = 0; i + 1 < tokens.Length; i++)
        {
            transitions.Add(new ScriptTransition(mode, tokens[i], tokens[i + 1]));
        }
    }
}
