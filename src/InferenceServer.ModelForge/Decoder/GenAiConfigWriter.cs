using System.Text.Json;

namespace InferenceServer.ModelForge.Decoder;

/// <summary>Writes <c>genai_config.json</c> with the fields and order the GenAI model builder uses for Qwen2 (or Llama) on CPU.</summary>
internal static class GenAiConfigWriter
{
    public static byte[] Create(DecoderSpec spec, string modelFileName)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject("model");
            json.WriteNumber("bos_token_id", spec.BosTokenId);
            json.WriteNumber("context_length", spec.ContextLength);
            json.WriteStartObject("decoder");
            json.WriteStartObject("session_options");
            json.WriteString("log_id", "onnxruntime-genai");
            json.WriteStartArray("provider_options");
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteString("filename", modelFileName);
            json.WriteNumber("head_size", spec.HeadSize);
            json.WriteNumber("hidden_size", spec.HiddenSize);
            json.WriteStartObject("inputs");
            json.WriteString("input_ids", "input_ids");
            json.WriteString("attention_mask", "attention_mask");
            if (spec.WithPositionIds)
            {
                json.WriteString("position_ids", "position_ids");
            }

            json.WriteString("past_key_names", "past_key_values.%d.key");
            json.WriteString("past_value_names", "past_key_values.%d.value");
            json.WriteEndObject();
            json.WriteStartObject("outputs");
            json.WriteString("logits", "logits");
            json.WriteString("present_key_names", "present.%d.key");
            json.WriteString("present_value_names", "present.%d.value");
            json.WriteEndObject();
            json.WriteNumber("num_attention_heads", spec.NumHeads);
            json.WriteNumber("num_hidden_layers", spec.NumLayers);
            json.WriteNumber("num_key_value_heads", spec.NumKvHeads);
            json.WriteEndObject();
            json.WriteStartArray("eos_token_id");
            foreach (int eos in spec.EosTokenIds)
            {
                json.WriteNumberValue(eos);
            }

            json.WriteEndArray();
            json.WriteNumber("pad_token_id", spec.PadTokenId);
            json.WriteString("type", spec.ModelType);
            json.WriteNumber("vocab_size", spec.VocabSize);
            json.WriteEndObject();
            WriteSearch(json, spec);
            json.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    private static void WriteSearch(Utf8JsonWriter json, DecoderSpec spec)
    {
        json.WriteStartObject("search");
        json.WriteNumber("diversity_penalty", 0.0);
        json.WriteBoolean("do_sample", false);
        json.WriteBoolean("early_stopping", true);
        json.WriteNumber("length_penalty", 1.0);
        json.WriteNumber("max_length", spec.ContextLength);
        json.WriteNumber("min_length", 0);
        json.WriteNumber("no_repeat_ngram_size", 0);
        json.WriteNumber("num_beams", 1);
        json.WriteNumber("num_return_sequences", 1);
        json.WriteBoolean("past_present_share_buffer", !spec.ConcatKv);
        json.WriteNumber("repetition_penalty", 1.0);
        json.WriteNumber("temperature", 1.0);
        json.WriteNumber("top_k", 1);
        json.WriteNumber("top_p", 1.0);
        json.WriteEndObject();
    }
}
