using System.Text.Json;
using InferenceServer.Engine.Text.Tokenization;
using InferenceServer.ModelForge.Tokenizer;
using InferenceServer.Tests.Text.Tokenization;

namespace InferenceServer.Tests.ModelForge;

public sealed class ForgeTokenizerWriterTests
{
    private static readonly string[] Words =
        ["Hello", " scripted", " model", "!", " world", "Hi", " there", " thinking", " tokenizer", " 你好", " café", "ll", " l"];

    [Fact]
    public void EachWholeWordEncodesToOneToken()
    {
        string folder = TestTokenizerFolders.NewFolder("forge-words");
        ForgeTokenizerWriter.Write(folder, Words, TestTokenizerFolders.Template);
        BpeTokenizer tokenizer = BpeTokenizer.Load(Path.Combine(folder, "tokenizer.json"));

        foreach (string word in Words)
        {
            Assert.True(tokenizer.Encode(word).Length == 1, $"'{word}' -> [{string.Join(',', tokenizer.Encode(word))}]");
        }

        Assert.Equal(["Hello", " scripted", " model", "!"], tokenizer.Encode("Hello scripted model!").Select(id => tokenizer.Decode([id], true)));
    }

    [Fact]
    public void OutputIsByteIdenticalAcrossRuns()
    {
        string first = TestTokenizerFolders.NewFolder("forge-a");
        string second = TestTokenizerFolders.NewFolder("forge-b");
        ForgeTokenizerWriter.Write(first, Words, TestTokenizerFolders.Template);
        ForgeTokenizerWriter.Write(second, Words, TestTokenizerFolders.Template);

        foreach (string file in new[] { "tokenizer.json", "tokenizer_config.json" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(first, file)), File.ReadAllBytes(Path.Combine(second, file)));
        }
    }

    [Fact]
    public void ReturnedIdsMatchTheWrittenFiles()
    {
        string folder = TestTokenizerFolders.NewFolder("forge-ids");
        ForgeVocabulary vocabulary = ForgeTokenizerWriter.Write(folder, Words, TestTokenizerFolders.Template);
        BpeTokenizer tokenizer = BpeTokenizer.Load(Path.Combine(folder, "tokenizer.json"));

        Assert.Equal(tokenizer.VocabSize, vocabulary.VocabSize);
        Assert.Equal(tokenizer.TokenToId("<｜begin▁of▁sentence｜>"), vocabulary.BosId);
        Assert.Equal(tokenizer.TokenToId("<｜end▁of▁sentence｜>"), vocabulary.EosId);
        Assert.Equal(tokenizer.TokenToId("<｜▁pad▁｜>"), vocabulary.PadId);
        Assert.Equal(21, vocabulary.SpecialTokenIds.Count);
        foreach ((string content, int id) in vocabulary.SpecialTokenIds)
        {
            Assert.Equal([id], tokenizer.Encode(content));
        }

        Assert.True(tokenizer.IsSpecial(vocabulary.SpecialTokenIds["<｜User｜>"]));
        Assert.False(tokenizer.IsSpecial(vocabulary.SpecialTokenIds["<think>"]));
        Assert.False(tokenizer.IsSpecial(vocabulary.SpecialTokenIds["</tool_call>"]));
    }

    [Fact]
    public void ConfigCarriesTheChatTemplateAndSpecialTokens()
    {
        string folder = TestTokenizerFolders.NewFolder("forge-config");
        ForgeTokenizerWriter.Write(folder, Words, TestTokenizerFolders.Template);
        using JsonDocument config = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "tokenizer_config.json")));
        JsonElement root = config.RootElement;

        Assert.Equal(TestTokenizerFolders.Template, root.GetProperty("chat_template").GetString());
        Assert.Equal("<｜begin▁of▁sentence｜>", root.GetProperty("bos_token").GetString());
        Assert.Equal("<｜end▁of▁sentence｜>", root.GetProperty("eos_token").GetString());
        Assert.False(root.GetProperty("add_bos_token").GetBoolean());
        Assert.False(root.GetProperty("clean_up_tokenization_spaces").GetBoolean());
    }

    [Fact]
    public void GenAiLoadsTheFolderAndAgreesOnWordsAndSpecials()
    {
        string folder = TestTokenizerFolders.NewFolder("forge-genai");
        ForgeVocabulary vocabulary = ForgeTokenizerWriter.Write(folder, Words, TestTokenizerFolders.Template);
        BpeTokenizer tokenizer = BpeTokenizer.Load(Path.Combine(folder, "tokenizer.json"));
        using var reference = new GenAiTokenizerReference(folder, vocabulary.VocabSize);

        string text = "<｜User｜>Hello scripted model! 你好 café<｜Assistant｜><think>thinking</think>Hi there";
        Assert.Equal(reference.Encode(text), tokenizer.Encode(text));
        Assert.Equal([vocabulary.EosId], reference.Encode("<｜end▁of▁sentence｜>"));
    }
}
