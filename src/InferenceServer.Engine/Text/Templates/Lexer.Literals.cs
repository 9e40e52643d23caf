using System.Globalization;
using System.Text;

namespace InferenceServer.Engine.Text.Templates;

/// <summary>Tokens inside <c>{{ }}</c> and <c>{% %}</c>: names, numbers, Python string literals, operators.</summary>
internal sealed partial class Lexer
{
    private void ReadExpressionToken(char c)
    {
        var line = LineAt(_pos);
        if (c is '\'' or '"')
        {
            _tokens.Add(new Token(TokenKind.String, ReadString(c, line), line));
        }
        else if (char.IsAsciiDigit(c))
        {
            var begin = _pos;
            while (_pos < _src.Length && (char.IsAsciiDigit(_src[_pos]) || _src[_pos] == '_'))
            {
                _pos++;
            }

            var isFloat = false;
            if (_pos + 1 < _src.Length && _src[_pos] == '.' && char.IsAsciiDigit(_src[_pos + 1]))
            {
                isFloat = true;
                _pos++;
                while (_pos < _src.Length && char.IsAsciiDigit(_src[_pos]))
                {
                    _pos++;
                }
            }

            if (_pos < _src.Length && _src[_pos] is 'e' or 'E')
            {
                var e = _pos + 1;
                if (e < _src.Length && _src[e] is '+' or '-')
                {
                    e++;
                }

                if (e < _src.Length && char.IsAsciiDigit(_src[e]))
                {
                    isFloat = true;
                    _pos = e;
                    while (_pos < _src.Length && char.IsAsciiDigit(_src[_pos]))
                    {
                        _pos++;
                    }
                }
            }

            var number = _src[begin.._pos].Replace("_", string.Empty, StringComparison.Ordinal);
            _tokens.Add(new Token(isFloat ? TokenKind.Float : TokenKind.Integer, number, line));
        }
        else if (char.IsLetter(c) || c == '_')
        {
            var begin = _pos;
            while (_pos < _src.Length && (char.IsLetterOrDigit(_src[_pos]) || _src[_pos] == '_'))
            {
                _pos++;
            }

            _tokens.Add(new Token(TokenKind.Name, _src[begin.._pos], line));
        }
        else
        {
            foreach (var op in Operators)
            {
                if (string.CompareOrdinal(_src, _pos, op, 0, op.Length) == 0)
                {
                    _tokens.Add(new Token(TokenKind.Operator, op, line));
                    _pos += op.Length;
                    return;
                }
            }

            throw new TemplateException($"Unexpected character '{c}' at line {line}.");
        }
    }

    private string ReadString(char quote, int line)
    {
        var sb = new StringBuilder();
        _pos++;
        while (true)
        {
            if (_pos >= _src.Length)
            {
                throw new TemplateException($"Unterminated string literal at line {line}.");
            }

            var c = _src[_pos++];
            if (c == quote)
            {
                return sb.ToString();
            }

            if (c != '\\' || _pos >= _src.Length)
            {
                sb.Append(c);
                continue;
            }

            var e = _src[_pos++];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case '0': sb.Append('\0'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'v': sb.Append('\v'); break;
                case 'a': sb.Append('\a'); break;
                case '\\': sb.Append('\\'); break;
                case '\'': sb.Append('\''); break;
                case '"': sb.Append('"'); break;
                case '\n': break;
                case 'x' or 'u' or 'U':
                    var digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (_pos + digits <= _src.Length
                        && int.TryParse(_src.AsSpan(_pos, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                    {
                        sb.Append(char.ConvertFromUtf32(code));
                        _pos += digits;
                    }
                    else
                    {
                        sb.Append('\\').Append(e);
                    }

                    break;
                default: sb.Append('\\').Append(e); break;
            }
        }
    }
}
