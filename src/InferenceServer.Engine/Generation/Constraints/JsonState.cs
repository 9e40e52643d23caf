namespace InferenceServer.Engine.Generation.Constraints;

/// <summary>
/// A byte-at-a-time JSON recognizer (RFC 8259, valid UTF-8 in strings) whose whole state is a small value: copying
/// it is how the vocabulary walk tries a token without undoing anything. The top level must be an object; nesting
/// is limited to <see cref="MaxDepth"/>; whitespace as <see cref="JsonWhitespace"/> bounds it. Every number it admits
/// is a finite double: at most <see cref="MaxDigits"/> integer and fraction digits and <see cref="MaxExponentDigits"/>
/// exponent digits, so its magnitude stays below 10^116 (and a nonzero one at least 10^-116); an
/// <see cref="Integer"/> recognizer admits only safe integers (|n| ≤ 2^53 − 1), without fraction or exponent.
/// </summary>
internal partial struct JsonState
{
    public const int MaxDepth = 32;
    public const int MaxDigits = 17;
    public const int MaxExponentDigits = 2;
    public const long MaxSafeInteger = (1L << 53) - 1;
    private static readonly byte[][] Literals = ["true"u8.ToArray(), "false"u8.ToArray(), "null"u8.ToArray()];
    private uint _objects;
    private byte _depth;
    private JsonMode _mode;
    private byte _aux;
    private byte _literal;
    private bool _key;
    private byte _spaces;
    private bool _anyTop;
    private bool _integer;

    /// <summary>An integer's magnitude so far (for the safe-integer bound).</summary>
    private long _value;

    public readonly bool IsDone => _mode == JsonMode.Done;

    /// <summary>A number that may end here (the next byte belongs to whatever follows it).</summary>
    public readonly bool NumberComplete => _mode is JsonMode.NumberZero or JsonMode.NumberInt or JsonMode.NumberFrac or JsonMode.NumberExpDigits;

    /// <summary>A recognizer for any single JSON value (not only an object), for schema scalars.</summary>
    public static JsonState AnyValue() => new() { _anyTop = true };

    /// <summary>A recognizer for one safe integer (no fraction or exponent), for schema integers.</summary>
    public static JsonState Integer() => new() { _anyTop = true, _integer = true };

    /// <summary>The fewest bytes that complete the text from here.</summary>
    public readonly int MinBytesToFinish
    {
        get
        {
            var local = _mode switch
            {
                JsonMode.Value => _depth == 0 ? 2 : 1,
                JsonMode.Key => 4,
                JsonMode.Colon => 2,
                JsonMode.String => _aux + 1 + (_key ? 2 : 0),
                JsonMode.Escape => 2 + (_key ? 2 : 0),
                JsonMode.Unicode => _aux + 1 + (_key ? 2 : 0),
                JsonMode.NumberSign or JsonMode.NumberDot or JsonMode.NumberExp or JsonMode.NumberExpSign => 1,
                JsonMode.Literal => Literals[_literal].Length - _aux,
                _ => 0,
            };
            return local + _depth;
        }
    }

    public bool Step(byte b)
    {
        var space = JsonWhitespace.Is(b);
        if (!space)
        {
            _spaces = 0;
        }

        switch (_mode)
        {
            case JsonMode.Value:
            case JsonMode.FirstValueOrEnd:
                if (space)
                {
                    return _depth > 0 && Space();
                }

                if (_depth == 0 && !_anyTop && b != (byte)'{')
                {
                    return false;
                }

                if (b == (byte)']' && _mode == JsonMode.FirstValueOrEnd)
                {
                    return Close(isObject: false);
                }

                return StartValue(b);
            case JsonMode.FirstKeyOrEnd:
                return space ? Space() : b == (byte)'"' ? StartString(key: true) : b == (byte)'}' && Close(isObject: true);
            case JsonMode.Key:
                return space ? Space() : b == (byte)'"' && StartString(key: true);
            case JsonMode.Colon:
                return space ? Space() : b == (byte)':' && Set(JsonMode.Value);
            case JsonMode.AfterValue:
                if (space)
                {
                    return Space();
                }

                var inObject = TopIsObject;
                return b switch
                {
                    (byte)',' => Set(inObject ? JsonMode.Key : JsonMode.Value),
                    (byte)'}' => inObject && Close(isObject: true),
                    (byte)']' => !inObject && Close(isObject: false),
                    _ => false,
                };
            case JsonMode.String:
                return StringByte(b);
            case JsonMode.Escape:
                if (b == (byte)'u')
                {
                    _aux = 4;
                    return Set(JsonMode.Unicode);
                }

                return b is (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t'
                    && Set(JsonMode.String);
            case JsonMode.Unicode:
                if (!char.IsAsciiHexDigit((char)b))
                {
                    return false;
                }

                _aux--;
                return _aux > 0 || Set(JsonMode.String);
            case JsonMode.NumberSign:
                return IsDigit(b) && FirstDigit(b);
            case JsonMode.NumberZero:
            case JsonMode.NumberInt:
                if (_mode == JsonMode.NumberInt && IsDigit(b))
                {
                    return MoreInteger(b);
                }

                return _integer ? EndNumber(b) : b == (byte)'.' ? Set(JsonMode.NumberDot) : b is (byte)'e' or (byte)'E' ? Set(JsonMode.NumberExp) : EndNumber(b);
            case JsonMode.NumberDot:
                return IsDigit(b) && More(JsonMode.NumberFrac, MaxDigits);
            case JsonMode.NumberFrac:
                return IsDigit(b) ? More(JsonMode.NumberFrac, MaxDigits) : b is (byte)'e' or (byte)'E' ? Set(JsonMode.NumberExp) : EndNumber(b);
            case JsonMode.NumberExp:
                return b is (byte)'+' or (byte)'-' ? Set(JsonMode.NumberExpSign) : IsDigit(b) && More(JsonMode.NumberExpDigits, MaxExponentDigits);
            case JsonMode.NumberExpSign:
                return IsDigit(b) && More(JsonMode.NumberExpDigits, MaxExponentDigits);
            case JsonMode.NumberExpDigits:
                return IsDigit(b) ? More(JsonMode.NumberExpDigits, MaxExponentDigits) : EndNumber(b);
            case JsonMode.Literal:
                var word = Literals[_literal];
                if (word[_aux] != b)
                {
                    return false;
                }

                _aux++;
                if (_aux == word.Length)
                {
                    EndValue();
                }

                return true;
            default:
                return false;
        }
    }

    private readonly bool TopIsObject => _depth > 0 && (_objects & (1u << (_depth - 1))) != 0;

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private bool Set(JsonMode mode)
    {
        _mode = mode;
        return true;
    }

    private bool Space()
    {
        if (_spaces >= JsonWhitespace.MaxRun)
        {
            return false;
        }

        _spaces++;
        return true;
    }

    private bool StartValue(byte b)
    {
        switch (b)
        {
            case (byte)'{':
                return Open(isObject: true);
            case (byte)'[':
                return Open(isObject: false);
            case (byte)'"':
                return StartString(key: false);
            case (byte)'-':
                return Set(JsonMode.NumberSign);
            case >= (byte)'0' and <= (byte)'9':
                return FirstDigit(b);
            case (byte)'t' or (byte)'f' or (byte)'n':
                _literal = b == (byte)'t' ? (byte)0 : b == (byte)'f' ? (byte)1 : (byte)2;
                _aux = 1;
                return Set(JsonMode.Literal);
            default:
                return false;
        }
    }

    private bool Open(bool isObject)
    {
        if (_depth >= MaxDepth)
        {
            return false;
        }

        _objects = isObject ? _objects | (1u << _depth) : _objects & ~(1u << _depth);
        _depth++;
        return Set(isObject ? JsonMode.FirstKeyOrEnd : JsonMode.FirstValueOrEnd);
    }

    private bool Close(bool isObject)
    {
        if (_depth == 0 || TopIsObject != isObject)
        {
            return false;
        }

        _depth--;
        EndValue();
        return true;
    }

    private bool StartString(bool key)
    {
        _key = key;
        _aux = 0;
        return Set(JsonMode.String);
    }

    private bool StringByte(byte b)
    {
        if (_aux > 0)
        {
            if (b is < 0x80 or > 0xBF)
            {
                return false;
            }

            _aux--;
            return true;
        }

        switch (b)
        {
            case (byte)'"':
                if (_key)
                {
                    return Set(JsonMode.Colon);
                }

                EndValue();
                return true;
            case (byte)'\\':
                return Set(JsonMode.Escape);
            case < 0x20:
                return false;
            case < 0x80:
                return true;
            case >= 0xC2 and <= 0xDF:
                _aux = 1;
                return true;
            case >= 0xE0 and <= 0xEF:
                _aux = 2;
                return true;
            case >= 0xF0 and <= 0xF4:
                _aux = 3;
                return true;
            default:
                return false;
        }
    }

    private void EndValue() => _mode = _depth == 0 ? JsonMode.Done : JsonMode.AfterValue;
}
