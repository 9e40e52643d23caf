using Microsoft.ML.OnnxRuntimeGenAI;

namespace InferenceServer.Tests.Text.Tokenization;

/// <summary>ONNX Runtime GenAI's tokenizer (onnxruntime-extensions, a port of Hugging Face tokenizers) over a folder.</summary>
internal sealed class GenAiTokenizerReference : IDisposable
{
    private readonly Config _config;
    private readonly Microsoft.ML.OnnxRuntimeGenAI.Tokenizer _tokenizer;

    public GenAiTokenizerReference(string folder, int vocabSize)
    {
        string configPath = Path.Combine(folder, "genai_config.json");
        if (!File.Exists(configPath))
        {
            File.WriteAllText(configPath, MinimalConfig(vocabSize));
        }

        _config = new Config(folder);
        _tokenizer = new Microsoft.ML.OnnxRuntimeGenAI.Tokenizer(_config);
    }

    public int[] Encode(string text)
    {
        using Sequences sequences = _tokenizer.Encode(text);
        return sequences[0].ToArray();
    }

    public string Decode(int[] ids, bool skipSpecialTokens)
    {
        _tokenizer.UpdateOptions(new Dictionary<string, string> { ["skip_special_tokens"] = skipSpecialTokens ? "true" : "false" });
        return _tokenizer.Decode(ids);
    }

    public void Dispose()
    {
        _tokenizer.Dispose();
        _config.Dispose();
    }

    private static string MinimalConfig(int vocabSize) =>
        $$"""
        { "model": { "bos_token_id": 0, "eos_token_id": [1], "pad_token_id": 1, "type": "qwen2", "vocab_size": {{vocabSize}},
          "context_length": 64,
          "decoder": { "filename": "model.onnx", "session_options": { "log_id": "tok", "provider_options": [] },
            "head_size": 8, "hidden_size": 32, "num_attention_heads": 4, "num_key_value_heads": 2, "num_hidden_layers": 2,
            "inputs": { "input_ids": "input_ids", "attention_mask": "attention_mask",
                        "past_key_names": "past_key_values.%d.key", "past_value_names": "past_key_values.%d.value" },
            "outputs": { "logits": "logits", "present_key_names": "present.%d.key", "present_value_names": "present.%d.value" } } },
          "search": { "do_sample": false, "max_length": 64, "num_beams": 1, "past_present_share_buffer": true, "top_k": 1 } }
        """;
}
