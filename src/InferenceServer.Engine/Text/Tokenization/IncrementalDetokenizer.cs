using System.Buffers;
using System.Text;

namespace InferenceServer.Engine.Text.Tokenization;

/// <summary>
/// Turns generated ids into text one token at a time. Bytes of a character split across tokens are held until the
/// character is complete, so no output ever contains half a character; all outputs plus <see cref="Flush"/> equal
/// <see cref="BpeTokenizer.Decode"/> of all ids. One instance per generated sequence; not thread-safe.
/// </summary>
public sealed class IncrementalDetokenizer
{
    private readonly BpeTokenizer _tokenizer;
    private readonly bool _skipSpecialTokens;
    private byte[] _pending = new byte[64];
    private int _pendingLength;
    private bool _first = true;
    private int _stripRemaining;

    /// <param name="continuesText">
    /// True when the ids continue a text already decoded (a completion after its prompt): the first id is then not the
    /// start of the text, so a SentencePiece decoder keeps its leading space (" and" after "The cat", not "and").
    /// </param>
    public IncrementalDetokenizer(BpeTokenizer tokenizer, bool skipSpecialTokens, bool continuesText = false)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        _tokenizer = tokenizer;
        _skipSpecialTokens = skipSpecialTokens;
        _first = !continuesText;
        _stripRemaining = continuesText ? 0 : tokenizer.DecodePlan.LeadingStripCount;
    }

    /// <summary>Adds one token; returns the text it completed (possibly empty).</summary>
    public string Push(int tokenId)
    {
        if (!_tokenizer.IsDecoded(tokenId, _skipSpecialTokens))
        {
            return string.Empty;
        }

        if (!_first)
        {
            Append(_tokenizer.DecodePlan.Separator);
        }

        Append(_tokenizer.TokenBytesAt(tokenId, _first));
        _first = false;
        StripLeading();

        int complete = CompletePrefixLength(_pending.AsSpan(0, _pendingLength));
        if (complete == 0)
        {
            return string.Empty;
        }

        string text = Encoding.UTF8.GetString(_pending, 0, complete);
        _pending.AsSpan(complete, _pendingLength - complete).CopyTo(_pending);
        _pendingLength -= complete;
        return text;
    }

    /// <summary>Returns whatever is still held (an incomplete character becomes U+FFFD) and empties the buffer.</summary>
    public string Flush()
    {
        if (_pendingLength == 0)
        {
            return string.Empty;
        }

        string text = Encoding.UTF8.GetString(_pending, 0, _pendingLength);
        _pendingLength = 0;
        return text;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_pendingLength + bytes.Length > _pending.Length)
        {
            Array.Resize(ref _pending, Math.Max(_pending.Length * 2, _pendingLength + bytes.Length));
        }

        bytes.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += bytes.Length;
    }

    private void StripLeading()
    {
        int strip = 0;
        byte target = _tokenizer.DecodePlan.LeadingStripByte;
        while (_stripRemaining > 0 && strip < _pendingLength && _pending[strip] == target)
        {
            strip++;
            _stripRemaining--;
        }

        if (_pendingLength > strip || strip > 0)
        {
            if (strip < _pendingLength)
            {
                _stripRemaining = 0;
            }

            _pending.AsSpan(strip, _pendingLength - strip).CopyTo(_pending);
            _pendingLength -= strip;
        }
    }

    /// <summary>Length of the prefix that decodes the same whatever bytes follow: all but a trailing incomplete character.</summary>
    private static int CompletePrefixLength(ReadOnlySpan<byte> bytes)
    {
        int index = 0;
        while (index < bytes.Length)
        {
            OperationStatus status = System.Text.Rune.DecodeFromUtf8(bytes[index..], out _, out int consumed);
            if (status == OperationStatus.NeedMoreData)
            {
                return index;
            }

            index += consumed;
        }

        return index;
    }
}
