using System.Text;
using InferenceServer.Contracts;
using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Text.Tokenization;

namespace InferenceServer.Chat;

/// <summary>Engine logprobs to the wire: token text, its UTF-8 bytes, and the alternatives.</summary>
internal static class LogprobMapper
{
    public static LogprobDto ToDto(BpeTokenizer tokenizer, TokenLogprobs e)
    {
        var top = new List<LogprobDto>(e.Top.Count);
        foreach (var t in e.Top)
        {
            top.Add(One(tokenizer, t, null));
        }

        return One(tokenizer, e.Chosen, top);
    }

    private static LogprobDto One(BpeTokenizer tokenizer, TokenLogprob t, List<LogprobDto>? top)
    {
        var bytes = tokenizer.GetTokenBytes(t.Token);
        var list = new List<int>(bytes.Length);
        foreach (var b in bytes)
        {
            list.Add(b);
        }

        var text = bytes.Length > 0 ? Encoding.UTF8.GetString(bytes) : tokenizer.IdToToken(t.Token) ?? string.Empty;
        return new LogprobDto { Token = text, Logprob = t.Logprob, Bytes = list, TopLogprobs = top };
    }
}
