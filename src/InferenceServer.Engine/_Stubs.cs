// TEMPORARY: stand-ins for types being written on other branches; deleted at merge.
namespace InferenceServer.Engine.Text.Tokenization
{
    public sealed class BpeTokenizer
    {
        public static BpeTokenizer Load(string path) => throw new NotImplementedException(path);
        public int VocabSize => 0;
        public int[] Encode(string text) => throw new NotImplementedException(text);
        public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens) => throw new NotImplementedException();
        public bool IsSpecial(int id) => false;
        public int? TokenToId(string token) => null;
        public string? IdToToken(int id) => null;
        public ReadOnlySpan<byte> GetTokenBytes(int id) => default;
    }

    public sealed class IncrementalDetokenizer
    {
        public IncrementalDetokenizer(BpeTokenizer tokenizer, bool skipSpecialTokens)
        {
        }

        public string Push(int tokenId) => throw new NotImplementedException();
        public string Flush() => throw new NotImplementedException();
    }
}

namespace InferenceServer.Engine.Text.Templates
{
    public sealed class JinjaTemplate
    {
        public static JinjaTemplate Parse(string source) => throw new NotImplementedException(source);
        public string Render(IReadOnlyDictionary<string, object?> context) => throw new NotImplementedException();
    }

    public class TemplateException : Exception
    {
        public TemplateException(string message)
            : base(message)
        {
        }
    }

    public static class JinjaValues
    {
        public static object? FromJson(System.Text.Json.JsonElement e) => throw new NotImplementedException();
    }
}
