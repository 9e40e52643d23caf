using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Text.Tokenization;

namespace InferenceServer.Engine.Images;

/// <summary>
/// CLIP's BPE tokenizer over a diffusers <c>tokenizer/</c> folder (<c>vocab.json</c> + <c>merges.txt</c>): lower-cased,
/// whitespace-collapsed text, CLIP's word pattern, byte-level symbols, <c>&lt;/w&gt;</c> on each word's last symbol,
/// then <c>&lt;|startoftext|&gt;</c> … <c>&lt;|endoftext|&gt;</c> padded to the model length (77).
/// </summary>
public sealed partial class ClipTokenizer
{
    private const string EndOfWord = "</w>";
    private readonly Dictionary<string, int> _vocab;
    private readonly Dictionary<(string, string), int> _ranks;
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);

    private ClipTokenizer(Dictionary<string, int> vocab, Dictionary<(string, string), int> ranks, int maxLength, int padId)
    {
        _vocab = vocab;
        _ranks = ranks;
        MaxLength = maxLength;
        PadId = padId;
        BosId = vocab.GetValueOrDefault("<|startoftext|>", 49406);
        EosId = vocab.GetValueOrDefault("<|endoftext|>", 49407);
    }

    public int MaxLength { get; }

    public int BosId { get; }

    public int EosId { get; }

    public int PadId { get; }

    public int VocabSize => _vocab.Count;

    public static ClipTokenizer Load(string folder)
    {
        var vocabPath = Path.Combine(folder, "vocab.json");
        var mergesPath = Path.Combine(folder, "merges.txt");
        if (!File.Exists(vocabPath) || !File.Exists(mergesPath))
        {
            throw new ModelLoadException($"The CLIP tokenizer needs {vocabPath} and {mergesPath}.");
        }

        Dictionary<string, int> vocab;
        try
        {
            vocab = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(vocabPath))
                ?? throw new ModelLoadException($"{vocabPath} is empty.");
        }
        catch (JsonException e)
        {
            throw new ModelLoadException($"{vocabPath} is not a JSON object of token → id: {e.Message}", e);
        }

        var ranks = new Dictionary<(string, string), int>();
        foreach (var line in File.ReadLines(mergesPath))
        {
            if (line.StartsWith("#version", StringComparison.Ordinal) || line.Length == 0)
            {
                continue;
            }

            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0)
            {
                throw new ModelLoadException($"{mergesPath}: line '{line}' is not two symbols separated by a space.");
            }

            ranks.TryAdd((line[..space], line[(space + 1)..]), ranks.Count);
        }

        var (maxLength, padToken) = ReadConfig(folder);
        var eos = vocab.GetValueOrDefault("<|endoftext|>", 49407);
        var padId = padToken is not null && vocab.TryGetValue(padToken, out var p) ? p : eos;
        return new ClipTokenizer(vocab, ranks, maxLength, padId);
    }

    /// <summary>The ids the text encoder reads: BOS, at most <see cref="MaxLength"/> − 2 tokens, EOS, then padding.</summary>
    public int[] EncodePadded(string text, out int tokenCount)
    {
        var ids = new List<int>(MaxLength) { BosId };
        foreach (Match word in WordPattern().Matches(Normalize(text)))
        {
            ids.AddRange(_cache.GetOrAdd(word.Value, Bpe));
            if (ids.Count >= MaxLength - 1)
            {
                break;
            }
        }

        if (ids.Count > MaxLength - 1)
        {
            ids.RemoveRange(MaxLength - 1, ids.Count - (MaxLength - 1));
        }

        ids.Add(EosId);
        tokenCount = ids.Count;
        while (ids.Count < MaxLength)
        {
            ids.Add(PadId);
        }

        return [.. ids];
    }

    private static string Normalize(string text) => Whitespace().Replace(text, " ").Trim().ToLowerInvariant();

    private int[] Bpe(string word)
    {
        var encoded = ByteLevelAlphabet.Encode(word);
        var symbols = new List<string>(encoded.Length);
        for (int i = 0; i < encoded.Length; i++)
        {
            symbols.Add(i == encoded.Length - 1 ? encoded[i] + EndOfWord : encoded[i].ToString());
        }

        while (symbols.Count > 1)
        {
            int best = -1;
            int bestRank = int.MaxValue;
            for (int i = 0; i < symbols.Count - 1; i++)
            {
                if (_ranks.TryGetValue((symbols[i], symbols[i + 1]), out var rank) && rank < bestRank)
                {
                    bestRank = rank;
                    best = i;
                }
            }

            if (best < 0)
            {
                break;
            }

            symbols[best] += symbols[best + 1];
            symbols.RemoveAt(best + 1);
        }

        var ids = new int[symbols.Count];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = _vocab.TryGetValue(symbols[i], out var id) ? id : EosId;
        }

        return ids;
    }

    private static (int MaxLength, string? PadToken) ReadConfig(string folder)
    {
        int maxLength = 77;
        string? pad = null;
        foreach (var name in new[] { "tokenizer_config.json", "special_tokens_map.json" })
        {
            var path = Path.Combine(folder, name);
            if (!File.Exists(path))
            {
                continue;
            }

            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            if (root.TryGetProperty("model_max_length", out var m) && m.TryGetInt32(out var length) && length is > 2 and <= 1024)
            {
                maxLength = length;
            }

            if (root.TryGetProperty("pad_token", out var padElement))
            {
                pad ??= padElement.ValueKind == JsonValueKind.String ? padElement.GetString()
                    : padElement.TryGetProperty("content", out var content) ? content.GetString() : null;
            }
        }

        return (maxLength, pad);
    }

    [GeneratedRegex(@"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+", RegexOptions.IgnoreCase)]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
