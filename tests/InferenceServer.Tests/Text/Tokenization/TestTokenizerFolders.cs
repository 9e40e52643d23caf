using System.Text.Json.Nodes;
using InferenceServer.ModelForge.Tokenizer;

namespace InferenceServer.Tests.Text.Tokenization;

/// <summary>Writes tokenizer folders for tests: the forge tokenizer, a Llama-3-style one and a Llama-2-style byte-fallback one.</summary>
internal static class TestTokenizerFolders
{
    public const string Llama3Pattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    public static readonly string[] Words = ["Hello", " scripted", " model", "!", " world", " quick", " brown", " fox", "ing", " 你好"];

    public const string Template = "{% for m in messages %}<｜User｜>{{ m['content'] }}{% endfor %}<｜Assistant｜>";

    public static string NewFolder(string name)
    {
        string folder = Path.Combine(Path.GetTempPath(), "tok-tests", name + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    public static string Forge() => Forge(NewFolder("forge"));

    public static string Forge(string folder)
    {
        ForgeTokenizerWriter.Write(folder, Words, Template);
        return folder;
    }

    /// <summary>Llama 3: its split regex (digits in threes), ignore_merges, merges in the array form, a vocab-only word.</summary>
    public static string Llama3() => ByteLevelFolder(
        "llama3",
        new JsonObject
        {
            ["type"] = "Sequence",
            ["pretokenizers"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "Split",
                    ["pattern"] = new JsonObject { ["Regex"] = Llama3Pattern },
                    ["behavior"] = "Isolated",
                    ["invert"] = false,
                },
                ByteLevel()),
        },
        ignoreMerges: true);

    /// <summary>GPT-2: the ByteLevel pre-tokenizer's own regex, merges in the string form, no ignore_merges.</summary>
    public static string Gpt2() => ByteLevelFolder(
        "gpt2",
        new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true },
        ignoreMerges: false);

    private static string ByteLevelFolder(string name, JsonObject preTokenizer, bool ignoreMerges)
    {
        var builder = new ForgeMergeBuilder();
        builder.AddWords(Words.Concat([" the", " and", "123", " 4"]));
        var vocab = new JsonObject();
        for (int id = 0; id < builder.Symbols.Count; id++)
        {
            vocab[builder.Symbols[id]] = id;
        }

        int unreachable = builder.Symbols.Count;
        vocab["Ġunreachable"] = unreachable;
        var merges = new JsonArray();
        foreach ((string left, string right) in builder.Merges)
        {
            merges.Add(ignoreMerges ? new JsonArray(left, right) : JsonValue.Create(left + " " + right));
        }

        string[] specials = ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"];
        var added = new JsonArray();
        for (int i = 0; i < specials.Length; i++)
        {
            added.Add(AddedToken(unreachable + 1 + i, specials[i], special: true));
        }

        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = preTokenizer,
            ["decoder"] = ByteLevel(),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["ignore_merges"] = ignoreMerges,
                ["fuse_unk"] = false,
                ["byte_fallback"] = false,
                ["vocab"] = vocab,
                ["merges"] = merges,
            },
        };
        return WriteFolder(name, root, "<|begin_of_text|>", "<|end_of_text|>", "PreTrainedTokenizerFast");
    }

    /// <summary>Llama 2 / Phi-3: SentencePiece-style BPE with ▁, byte_fallback, unk, Prepend+Replace normalizer.</summary>
    public static string Llama2()
    {
        var vocab = new JsonObject { ["<unk>"] = 0, ["<s>"] = 1, ["</s>"] = 2 };
        for (int b = 0; b < 256; b++)
        {
            vocab[$"<0x{b:X2}>"] = 3 + b;
        }

        var symbols = new List<string> { "▁" };
        symbols.AddRange("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?'\"-:;()".Select(c => c.ToString()));
        symbols.Add("你");
        var merges = new JsonArray();
        foreach (string word in new[] { "▁Hello", "▁world", "▁the", "▁model", "ing", "▁scripted", "▁a", "▁quick" })
        {
            string current = word[..1];
            for (int i = 1; i < word.Length; i++)
            {
                string next = word[i].ToString();
                if (!symbols.Contains(current + next))
                {
                    merges.Add($"{current} {next}");
                    symbols.Add(current + next);
                }

                current += next;
            }
        }

        int nextId = 259;
        foreach (string symbol in symbols)
        {
            vocab[symbol] = nextId++;
        }

        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = new JsonArray(AddedToken(0, "<unk>", true), AddedToken(1, "<s>", true), AddedToken(2, "</s>", true)),
            ["normalizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["normalizers"] = new JsonArray(
                    new JsonObject { ["type"] = "Prepend", ["prepend"] = "▁" },
                    new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = " " }, ["content"] = "▁" }),
            },
            ["pre_tokenizer"] = null,
            ["decoder"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["decoders"] = new JsonArray(
                    new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = "▁" }, ["content"] = " " },
                    new JsonObject { ["type"] = "ByteFallback" },
                    new JsonObject { ["type"] = "Fuse" },
                    new JsonObject { ["type"] = "Strip", ["content"] = " ", ["start"] = 1, ["stop"] = 0 }),
            },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["unk_token"] = "<unk>",
                ["fuse_unk"] = true,
                ["byte_fallback"] = true,
                ["vocab"] = vocab,
                ["merges"] = merges,
            },
        };
        return WriteFolder("llama2", root, "<s>", "</s>", "LlamaTokenizerFast");
    }

    private static JsonObject AddedToken(int id, string content, bool special) => new()
    {
        ["id"] = id,
        ["content"] = content,
        ["single_word"] = false,
        ["lstrip"] = false,
        ["rstrip"] = false,
        ["normalized"] = false,
        ["special"] = special,
    };

    private static JsonObject ByteLevel() => new()
    {
        ["type"] = "ByteLevel",
        ["add_prefix_space"] = false,
        ["trim_offsets"] = true,
        ["use_regex"] = false,
    };

    private static string WriteFolder(string name, JsonObject tokenizer, string bos, string eos, string tokenizerClass)
    {
        string folder = NewFolder(name);
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), tokenizer.ToJsonString());
        var config = new JsonObject
        {
            ["tokenizer_class"] = tokenizerClass,
            ["bos_token"] = bos,
            ["eos_token"] = eos,
            ["add_bos_token"] = false,
            ["add_eos_token"] = false,
            ["clean_up_tokenization_spaces"] = false,
            ["legacy"] = true,
            ["model_max_length"] = 4096,
        };
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), config.ToJsonString());
        return folder;
    }
}
