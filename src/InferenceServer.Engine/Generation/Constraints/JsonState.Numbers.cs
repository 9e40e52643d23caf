namespace InferenceServer.Engine.Generation.Constraints;

// Number digits, bounded so that every number admitted is a finite double (and an integer a safe one).
internal partial struct JsonState
{
    /// <summary>The first digit of a number (after its sign, if any): <c>0</c> stands alone.</summary>
    private bool FirstDigit(byte b)
    {
        _aux = 1;
        _value = b - '0';
        return Set(b == (byte)'0' ? JsonMode.NumberZero : JsonMode.NumberInt);
    }

    private bool MoreInteger(byte b)
    {
        var value = (_value * 10) + (b - '0');
        if (_aux >= MaxDigits || (_integer && value > MaxSafeInteger))
        {
            return false;
        }

        _aux++;
        _value = value;
        return true;
    }

    /// <summary>One more digit in the fraction or exponent (counted in <c>_aux</c>, reset where the part begins).</summary>
    private bool More(JsonMode mode, int max)
    {
        if (_mode != mode)
        {
            _aux = 0;
        }

        if (_aux >= max)
        {
            return false;
        }

        _aux++;
        return Set(mode);
    }

    private bool EndNumber(byte b)
    {
        EndValue();
        return Step(b);
    }
}
