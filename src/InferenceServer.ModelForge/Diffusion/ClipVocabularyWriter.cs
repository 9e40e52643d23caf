using System.Text;
using System.Text.Json;
using InferenceServer.Engine.Text.Tokenization;

namespace InferenceServer.ModelForge.Diffusion;

/// <summary>
/// Writes a small CLIP-style <c>tokenizer/</c> folder: <c>vocab.json</c> (the 256 byte symbols, the same with
/// <c>&lt;/w&gt;</c>, the merged words, then <c>&lt;|startoftext|&gt;</c> and <c>&lt;|endoftext|&gt;</c>, as CLIP orders them),
/// <c>merges.txt</c>, <c>tokenizer_config.json</c> and <c>special_tokens_map.json</c>. Returns the vocabulary size.
/// </summary>
internal static class ClipVocabularyWriter
{
    private const string EndOfWord = "</w>";

    private static readonly string[] Words =
    [
        "a", "an", "the", "of", "on", "in", "at", "and", "with", "photo", "painting", "picture", "cat", "dog", "red", "blue",
        "green", "sunset", "over", "mountains", "astronaut", "riding", "horse", "mars", "lighthouse", "night", "city", "sea",
        "forest", "portrait", "blurry", "ugly", "bad", "quality",
    ];

    public static int Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var tokens = new List<string>();
        for (int b = 0; b < 256; b++)
        {
            tokens.Add(ByteLevelAlphabet.ToChar((byte)b).ToString());
        }

        for (int b = 0; b < 256; b++)
        {
            tokens.Add(ByteLevelAlphabet.ToChar((byte)b) + EndOfWord);
        }

        var ranks = new Dictionary<(string, string), int>();
        var merges = new List<string>();
        foreach (var word in Words)
        {
            // Learn merges until the whole word is one symbol; later merges rank last, so earlier words keep theirs.
            var symbols = Segment(word, ranks);
            while (symbols.Count > 1)
            {
                ranks[(symbols[0], symbols[1])] = ranks.Count;
                merges.Add($"{symbols[0]} {symbols[1]}");
                tokens.Add(symbols[0] + symbols[1]);
                symbols = Segment(word, ranks);
            }
        }

        tokens.Add("<|startoftext|>");
        tokens.Add("<|endoftext|>");
        WriteVocab(Path.Combine(folder, "vocab.json"), tokens);
        File.WriteAllText(Path.Combine(folder, "merges.txt"), "#version: 0.2\n" + string.Join('\n', merges) + "\n", new UTF8Encoding(false));
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"),
            """{"tokenizer_class": "CLIPTokenizer", "model_max_length": 77, "do_lower_case": true, "bos_token": "<|startoftext|>", "eos_token": "<|endoftext|>", "unk_token": "<|endoftext|>", "pad_token": "<|endoftext|>"}""");
        File.WriteAllText(Path.Combine(folder, "special_tokens_map.json"),
            """{"bos_token": "<|startoftext|>", "eos_token": "<|endoftext|>", "unk_token": "<|endoftext|>", "pad_token": "<|endoftext|>"}""");
        return tokens.Count;
    }

    private static List<string> Segment(string word, Dictionary<(string, string), int> ranks)
    {
        var symbols = new List<string>();
        for (int i = 0; i < word.Length; i++)
        {
            symbols.Add(i == word.Length - 1 ? word[i] + EndOfWord : word[i].ToString());
        }

        while (symbols.Count > 1)
        {
            int best = -1;
            int bestRank = int.MaxValue;
            for (int i = 0; i < symbols.Count - 1; i++)
            {
                if (ranks.TryGetValue((symbols[i], symbols[i + 1]), out var rank) && rank < bestRank)
                {
                    (best, bestRank) = (i, rank);
                }
            }

            if (best < 0)
            {
                break;
            }

            symbols[best] += symbols[best + 1];
            symbols.RemoveAt(best + 1);
        }

        return symbols;
    }

    private static void WriteVocab(string path, List<string> tokens)
    {
        using var stream = File.Create(path);
        using var writer = new Utf8JsonWriter(stream);
        writer.WriteStartObject();
        for (int id = 0; id < tokens.Count; id++)
        {
            writer.WriteNumber(tokens[id], id);
        }

        writer.WriteEndObject();
    }
}
