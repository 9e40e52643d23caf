using System.Text.RegularExpressions;

namespace InferenceServer.Engine.Text.Templates;

/// <summary>
/// Splits template source into tokens with Jinja's whitespace rules as Hugging Face configures them:
/// trim_blocks, lstrip_blocks, <c>-</c>/<c>+</c> markers, one trailing newline of the source dropped.
/// </summary>
internal sealed partial class Lexer
{
    private static readonly string[] Operators =
    [
        "//", "**", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~", "<", ">", "(", ")", "[", "]", "{", "}",
        ".", ",", ":", "|", "=",
    ];

    private readonly string _src;
    private readonly List<Token> _tokens = [];
    private int _pos;
    private int _line = 1;
    private int _lineCountedTo;
    private bool _lineStarting = true;

    private Lexer(string source)
    {
        var normalized = source.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        _src = normalized.EndsWith('\n') ? normalized[..^1] : normalized;
    }

    public static List<Token> Tokenize(string source)
    {
        var lexer = new Lexer(source);
        lexer.Run();
        lexer._tokens.Add(new Token(TokenKind.End, string.Empty, lexer.LineAt(lexer._src.Length)));
        return lexer._tokens;
    }

    [GeneratedRegex(@"\G\{%[-+]?\s*raw\s*([-+]?)%\}")]
    private static partial Regex RawBegin();

    [GeneratedRegex(@"\{%([-+]?)\s*endraw\s*([-+]?)%\}")]
    private static partial Regex RawEnd();

    private int LineAt(int pos)
    {
        for (; _lineCountedTo < pos && _lineCountedTo < _src.Length; _lineCountedTo++)
        {
            if (_src[_lineCountedTo] == '\n')
            {
                _line++;
            }
        }

        return _line;
    }

    private void Run()
    {
        while (_pos < _src.Length)
        {
            var start = FindTag(_pos);
            if (start < 0)
            {
                AddText(_src[_pos..], _pos);
                return;
            }

            var kind = _src[start + 1];
            var sign = start + 2 < _src.Length ? _src[start + 2] : '\0';
            var text = _src[_pos..start];
            if (sign == '-')
            {
                text = text.TrimEnd();
            }
            else if (sign != '+' && kind != '{')
            {
                text = LStrip(text);
            }

            AddText(text, _pos);
            _pos = start + 2 + (sign is '-' or '+' ? 1 : 0);
            _lineStarting = false;
            if (kind == '#')
            {
                SkipComment(start);
            }
            else if (kind == '%' && RawBegin().Match(_src, start) is { Success: true } raw)
            {
                ReadRaw(raw);
            }
            else
            {
                ReadTag(kind == '{', start);
            }
        }
    }

    private int FindTag(int from)
    {
        for (var i = _src.IndexOf('{', from); i >= 0 && i + 1 < _src.Length; i = _src.IndexOf('{', i + 1))
        {
            if (_src[i + 1] is '{' or '%' or '#')
            {
                return i;
            }
        }

        return -1;
    }

    private string LStrip(string text)
    {
        var lineStart = text.LastIndexOf('\n') + 1;
        if (lineStart == 0 && !_lineStarting)
        {
            return text;
        }

        for (var i = lineStart; i < text.Length; i++)
        {
            if (!char.IsWhiteSpace(text[i]))
            {
                return text;
            }
        }

        return text[..lineStart];
    }

    private void AddText(string text, int at)
    {
        if (text.Length > 0)
        {
            _tokens.Add(new Token(TokenKind.Text, text, LineAt(at)));
        }
    }

    private void SkipComment(int start)
    {
        var end = _src.IndexOf("#}", _pos, StringComparison.Ordinal);
        if (end < 0)
        {
            throw new TemplateException($"Unterminated comment at line {LineAt(start)}.");
        }

        _pos = end + 2;
        AfterTagEnd(_src[end - 1] == '-', block: true);
    }

    private void ReadRaw(Match raw)
    {
        _pos = raw.Index + raw.Length;
        var end = RawEnd().Match(_src, _pos);
        if (!end.Success)
        {
            throw new TemplateException($"Missing end of raw directive at line {LineAt(raw.Index)}.");
        }

        var content = _src[_pos..end.Index];
        if (raw.Groups[1].Value == "-")
        {
            content = content.TrimStart();
        }
        else if (raw.Groups[1].Value != "+" && content.StartsWith('\n'))
        {
            content = content[1..];
        }

        content = end.Groups[1].Value == "-" ? content.TrimEnd() : end.Groups[1].Value == "+" ? content : LStrip(content);
        AddText(content, _pos);
        _pos = end.Index + end.Length;
        AfterTagEnd(end.Groups[2].Value == "-", block: end.Groups[2].Value != "+");
    }

    private void AfterTagEnd(bool stripAll, bool block)
    {
        var before = _pos;
        if (stripAll)
        {
            while (_pos < _src.Length && char.IsWhiteSpace(_src[_pos]))
            {
                _pos++;
            }
        }
        else if (block && _pos < _src.Length && _src[_pos] == '\n')
        {
            _pos++;
        }

        _lineStarting = _pos > before && _src[_pos - 1] == '\n';
    }

    private void ReadTag(bool variable, int start)
    {
        _tokens.Add(new Token(variable ? TokenKind.VariableBegin : TokenKind.BlockBegin, string.Empty, LineAt(start)));
        var close = variable ? '}' : '%';
        while (true)
        {
            while (_pos < _src.Length && char.IsWhiteSpace(_src[_pos]))
            {
                _pos++;
            }

            if (_pos >= _src.Length)
            {
                throw new TemplateException($"Unexpected end of template: tag opened at line {LineAt(start)} is not closed.");
            }

            var c = _src[_pos];
            var endMarker = c is '-' or '+' ? 1 : 0;
            if (_pos + endMarker + 1 < _src.Length && _src[_pos + endMarker] == close && _src[_pos + endMarker + 1] == '}'
                && (endMarker == 0 || c == '-' || !variable))
            {
                _tokens.Add(new Token(variable ? TokenKind.VariableEnd : TokenKind.BlockEnd, string.Empty, LineAt(_pos)));
                _pos += endMarker + 2;
                AfterTagEnd(c == '-', block: !variable && c != '+');
                return;
            }

            ReadExpressionToken(c);
        }
    }
}
