using System.Numerics;
using System.Text.Json;

namespace InferenceServer.Engine.Generation.Constraints;

/// <summary>
/// <c>minimum</c>, <c>maximum</c>, <c>exclusiveMinimum</c>, <c>exclusiveMaximum</c> (numbers, or draft-4 booleans) and
/// <c>multipleOf</c> of a number or integer, enforced byte by byte on the exact numeral (<see cref="NumberState"/>):
/// a byte is allowed only when some completion of the numeral satisfies them all, and the number may end only when
/// its value does. To keep that exact with decimal arithmetic, a bounded number is written without an exponent, with
/// at most <see cref="MaxIntegerDigits"/> integer and <see cref="MaxFractionDigits"/> fraction digits (JSON's
/// leading-zero rules hold).
/// </summary>
internal sealed class NumberBounds
{
    public const int Infinite = int.MaxValue / 4;
    public const int MaxIntegerDigits = 15;
    public const int MaxFractionDigits = 10;
    private static readonly decimal[] Pow10 = Enumerable.Range(0, MaxIntegerDigits + 1).Select(i => new decimal(Math.Pow(10, i))).ToArray();
    private static readonly decimal[] Ulp = Enumerable.Range(0, MaxFractionDigits + 1).Select(i => new decimal(1, 0, 0, false, (byte)i)).ToArray();
    private readonly decimal? _low;
    private readonly decimal? _high;
    private readonly bool _lowExclusive;
    private readonly bool _highExclusive;
    private readonly int _maxFraction;

    /// <summary>Per count of fraction digits t: the spacing of allowed values written with t fraction digits.</summary>
    private readonly decimal[] _step;
    private readonly int _startRest;

    private NumberBounds(decimal? low, bool lowExclusive, decimal? high, bool highExclusive, decimal? multipleOf, bool integer)
    {
        (_low, _lowExclusive, _high, _highExclusive) = (low, lowExclusive, high, highExclusive);
        _maxFraction = integer ? 0 : MaxFractionDigits;
        _step = Enumerable.Range(0, _maxFraction + 1).Select(t => multipleOf is { } m ? Lcm(Ulp[t], m) : Ulp[t]).ToArray();
        _startRest = Math.Min(Sign(negative: false), 1 + Sign(negative: true));
        if (_startRest >= Infinite)
        {
            throw new SchemaException(multipleOf is null ? "minimum" : "multipleOf",
                $"the bounds admit no number of at most {MaxIntegerDigits} integer and {_maxFraction} fraction digits");
        }
    }

    /// <summary>Fewest bytes of a number within the bounds.</summary>
    public int MinLength => _startRest;

    /// <summary>The bounds of <paramref name="schema"/>, or null when it sets none.</summary>
    public static NumberBounds? From(JsonElement schema, bool integer)
    {
        decimal? Read(string name) => schema.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
            ? (v.TryGetDecimal(out var d) ? d : v.GetDouble() > 0 ? 1e20m : -1e20m)
            : null;
        bool Flag(string name) => schema.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

        var (min, max, exMin, exMax, multiple) = (Read("minimum"), Read("maximum"), Read("exclusiveMinimum"), Read("exclusiveMaximum"), Read("multipleOf"));
        if (min is null && max is null && exMin is null && exMax is null && multiple is null)
        {
            return null;
        }

        if (multiple <= 0)
        {
            throw new SchemaException("multipleOf", "multipleOf must be greater than 0");
        }

        // Draft 4 writes exclusiveMinimum / exclusiveMaximum as booleans that make minimum / maximum exclusive.
        var (low, lowExclusive) = exMin is { } el && (min is null || el >= min) ? (exMin, true) : (min, Flag("exclusiveMinimum"));
        var (high, highExclusive) = exMax is { } eh && (max is null || eh <= max) ? (exMax, true) : (max, Flag("exclusiveMaximum"));
        return new NumberBounds(low, lowExclusive, high, highExclusive, multiple, integer);
    }

    public NumberState Start() => new() { Rest = _startRest };

    /// <summary>Takes <paramref name="b"/> when the numeral stays completable within the bounds.</summary>
    public bool Step(ref NumberState s, byte b)
    {
        var digit = b - '0';
        var isDigit = (uint)digit <= 9;
        switch (s.Phase)
        {
            case NumberPhase.Start when b == '-':
                s.Negative = true;
                s.Phase = NumberPhase.Sign;
                break;
            case NumberPhase.Start or NumberPhase.Sign when isDigit:
                s.Phase = digit == 0 ? NumberPhase.Zero : NumberPhase.Integer;
                s.Magnitude = digit;
                s.IntegerDigits = 1;
                break;
            case NumberPhase.Integer when isDigit && s.IntegerDigits < MaxIntegerDigits:
                s.Magnitude = (s.Magnitude * 10) + digit;
                s.IntegerDigits++;
                break;
            case NumberPhase.Zero or NumberPhase.Integer when b == '.' && _maxFraction > 0:
                s.Phase = NumberPhase.Dot;
                break;
            case NumberPhase.Dot or NumberPhase.Fraction when isDigit && s.FractionDigits < _maxFraction:
                s.Phase = NumberPhase.Fraction;
                s.FractionDigits++;
                s.Magnitude += digit * Ulp[s.FractionDigits];
                break;
            default:
                return false;
        }

        s.Rest = Rest(s);
        return s.Rest < Infinite;
    }

    /// <summary>Whether the number may end here: a complete numeral whose value satisfies the bounds.</summary>
    public bool CanEnd(in NumberState s)
    {
        if (s.Phase is not (NumberPhase.Zero or NumberPhase.Integer or NumberPhase.Fraction))
        {
            return false;
        }

        var value = s.Negative ? -s.Magnitude : s.Magnitude;
        return Exists(value, value, _step[s.FractionDigits]);
    }

    private int Rest(in NumberState s) => s.Phase switch
    {
        NumberPhase.Start => _startRest,
        NumberPhase.Sign => Sign(s.Negative),
        NumberPhase.Zero => Fill(s.Negative, 0, 1, 0, dot: false, needDigit: false, cost: 0),
        NumberPhase.Integer => Integer(s.Negative, s.Magnitude, s.IntegerDigits),
        NumberPhase.Dot => Fill(s.Negative, s.Magnitude, s.Magnitude + 1, 0, dot: true, needDigit: true, cost: 0),
        _ => Fill(s.Negative, s.Magnitude, s.Magnitude + Ulp[s.FractionDigits], s.FractionDigits, dot: true, needDigit: false, cost: 0),
    };

    /// <summary>After the sign (or at the start, for one sign): a leading 0, or j integer digits from a nonzero one.</summary>
    private int Sign(bool negative)
    {
        var best = 1 + Fill(negative, 0, 1, 0, dot: false, needDigit: false, cost: 0);
        for (var j = 1; j <= MaxIntegerDigits && j < best; j++)
        {
            if (Beyond(negative, Pow10[j - 1]))
            {
                break;
            }

            best = Math.Min(best, Fill(negative, Pow10[j - 1], Pow10[j], 0, dot: false, needDigit: false, cost: j));
        }

        return best;
    }

    /// <summary>Integer digits <paramref name="v"/> so far, then j more integer digits and maybe a fraction.</summary>
    private int Integer(bool negative, decimal v, int digits)
    {
        var best = Infinite;
        for (var j = 0; digits + j <= MaxIntegerDigits && j < best; j++)
        {
            var low = v * Pow10[j];
            if (Beyond(negative, low))
            {
                break;
            }

            best = Math.Min(best, Fill(negative, low, (v + 1) * Pow10[j], 0, dot: false, needDigit: false, cost: j));
        }

        return best;
    }

    /// <summary>Magnitudes from here on only grow: past the bound on that side, nothing further can fit.</summary>
    private bool Beyond(bool negative, decimal magnitude) =>
        negative ? _low is { } low && -magnitude < low : _high is { } high && magnitude > high;

    /// <summary>
    /// Fewest bytes (from <paramref name="cost"/>) to a value whose magnitude is in [<paramref name="a"/>, <paramref name="b"/>),
    /// written with <paramref name="k"/> + f fraction digits (f ≥ 1 when <paramref name="needDigit"/>; the dot costs a byte unless written).
    /// </summary>
    private int Fill(bool negative, decimal a, decimal b, int k, bool dot, bool needDigit, int cost)
    {
        if (negative ? !Overlaps(-b, -a) : !Overlaps(a, b))
        {
            return Infinite;
        }

        for (var f = needDigit ? 1 : 0; k + f <= _maxFraction; f++)
        {
            var top = b - Ulp[k + f];
            var found = negative ? Exists(-top, -a, _step[k + f]) : Exists(a, top, _step[k + f]);
            if (found)
            {
                return cost + f + (f > 0 && !dot ? 1 : 0);
            }
        }

        return Infinite;
    }

    private bool Overlaps(decimal lo, decimal hi) => (_low is not { } low || hi >= low) && (_high is not { } high || lo <= high);

    /// <summary>Whether a multiple of <paramref name="step"/> in [lo, hi] satisfies the bounds.</summary>
    private bool Exists(decimal lo, decimal hi, decimal step)
    {
        if (_low is { } low)
        {
            if (_lowExclusive ? hi <= low : hi < low)
            {
                return false;
            }

            lo = Math.Max(lo, low);
        }

        if (_high is { } high)
        {
            if (_highExclusive ? lo >= high : lo > high)
            {
                return false;
            }

            hi = Math.Min(hi, high);
        }

        var c = Math.Ceiling(lo / step) * step;
        if (c < lo || (_lowExclusive && c <= _low))
        {
            c += step;
        }

        return c <= hi && !(_highExclusive && c >= _high);
    }

    private static BigInteger Scaled(decimal value, int scale)
    {
        var bits = decimal.GetBits(value);
        var mantissa = new BigInteger((uint)bits[0]) | (new BigInteger((uint)bits[1]) << 32) | (new BigInteger((uint)bits[2]) << 64);
        return mantissa * BigInteger.Pow(10, scale - value.Scale);
    }

    /// <summary>The least common multiple of two positive decimals.</summary>
    private static decimal Lcm(decimal x, decimal y)
    {
        var scale = Math.Max(x.Scale, y.Scale);
        var factor = BigInteger.Pow(10, scale);
        var a = Scaled(x, scale);
        var b = Scaled(y, scale);
        var lcm = a / BigInteger.GreatestCommonDivisor(a, b) * b;
        return lcm > new BigInteger(decimal.MaxValue)
            ? throw new SchemaException("multipleOf", "multipleOf is too large to enforce")
            : (decimal)lcm / (decimal)factor;
    }
}
