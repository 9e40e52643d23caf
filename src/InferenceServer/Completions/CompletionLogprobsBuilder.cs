using System.Text;
using InferenceServer.Contracts;
using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Text.Tokenization;

namespace InferenceServer.Completions;

/// <summary>Builds the legacy parallel-list logprobs, with each token's character offset in the returned text.</summary>
internal sealed class CompletionLogprobsBuilder
{
    private readonly BpeTokenizer _tokenizer;
    private int _offset;

    public CompletionLogprobsBuilder(BpeTokenizer tokenizer, int startOffset)
    {
        _tokenizer = tokenizer;
        _offset = startOffset;
    }

    public List<string> Tokens { get; } = [];

    public List<double> TokenLogprobs { get; } = [];

    public List<Dictionary<string, double>> TopLogprobs { get; } = [];

    public List<int> TextOffset { get; } = [];

    public void Add(TokenLogprobs e)
    {
        var text = Text(e.Chosen.Token);
        Tokens.Add(text);
        TokenLogprobs.Add(e.Chosen.Logprob);
        var top = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var t in e.Top)
        {
            top.TryAdd(Text(t.Token), t.Logprob);
        }

        TopLogprobs.Add(top);
        TextOffset.Add(_offset);
        _offset += text.Length;
    }

    public CompletionLogprobs Build() => new() { Tokens = Tokens, TokenLogprobs = TokenLogprobs, TopLogprobs = TopLogprobs, TextOffset = TextOffset };

    /// <summary>The logprobs of just the last added token, for a streamed chunk.</summary>
    public CompletionLogprobs Last() => new()
    {
        Tokens = [Tokens[^1]],
        TokenLogprobs = [TokenLogprobs[^1]],
        TopLogprobs = [TopLogprobs[^1]],
        TextOffset = [TextOffset[^1]],
    };

    private string Text(int token)
    {
        var bytes = _tokenizer.GetTokenBytes(token);
        return bytes.Length > 0 ? Encoding.UTF8.GetString(bytes) : _tokenizer.IdToToken(token) ?? string.Empty;
    }
}
