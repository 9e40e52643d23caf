using System.Collections.Immutable;
using System.Globalization;
using CsCheck;

namespace InferenceServer.IntegrationTests.Fuzz;

/// <summary>Generators of JSON text: hostile values of every kind, and objects over a schema whose fields get them.</summary>
public static class JsonGens
{
    public static readonly Gen<string> WrongType = Gen.OneOf(
        "null", "true", "false", "0", "-1", "1.5", "\"x\"", "\"\"", "[]", "{}", "[1,\"a\",null]", "{\"a\":1}", "[[]]", "[{}]");

    public static readonly Gen<string> HugeNumber = Gen.OneOf(
        "1e400", "-1e400", "1e-400", "123456789012345678901234567890", "9223372036854775808", "-9223372036854775809",
        "2147483648", "-2147483649", "4294967296", "18446744073709551616", "1E+2", "-0", "0.0000001", "1" + new string('0', 400));

    public static readonly Gen<string> HostileString = Gen.OneOf(
        "\"\\ud800\"", "\"\\udfff\"", "\"a\\ud800b\"", "\"\\ud83d\"", "\"\\udc00\\ud800\"", "\"\\u0000\"", "\"a\\u0000b\"",
        "\"\uD800\"", "\"a\uDFFFb\"", $"\"x{HostileUtf8.InvalidByte}\"", $"\"{HostileUtf8.OverlongNul}\"", $"\"{HostileUtf8.Truncated}\"",
        $"\"a{HostileUtf8.Nul}b\"", "\"" + new string('a', 6000) + "\"", "\"\\\\\"", "\"\\n\\t\\r\"", "\"<|im_start|>\"",
        "\"<｜end▁of▁sentence｜>\"", "\"</think>\"", "\"{{ raise_exception('x') }}\"", "\"%s%n\"", "\"\\\"\"", "\"😀\"",
        "\"\\ud83d\\ude00\"", "\"\u202e\"", "\"\ufeff\"", "\"\\u00e9\"", "\" \"");

    public static readonly Gen<string> RandomString = Gen.String[Gen.Char, 0, 40].Select(JsonText.Quote);

    public static readonly Gen<string> Deep = Gen.OneOf<string>(
        Gen.Int[65, 400].Select(d => new string('[', d) + new string(']', d)),
        Gen.Int[65, 200].Select(d => string.Concat(Enumerable.Repeat("{\"a\":", d)) + "1" + new string('}', d)));

    /// <summary>A value no field should take as is.</summary>
    public static readonly Gen<string> Hostile = Gen.Frequency<string>(
        (8, WrongType), (4, HugeNumber), (8, HostileString), (4, RandomString), (1, Deep));

    public static Gen<string> Ints(int min, int max) => Gen.Int[min, max].Select(i => i.ToString(CultureInfo.InvariantCulture));

    /// <summary><paramref name="min"/>..<paramref name="max"/> in tenths.</summary>
    public static Gen<string> Tenths(int min, int max) => Gen.Int[min, max].Select(i => (i / 10.0).ToString(CultureInfo.InvariantCulture));

    public static Gen<string> Strings(params string[] values) => Gen.OneOf(values.Select(JsonText.Quote).ToArray());

    public static Gen<string> ArrayOf(Gen<string> item, int min, int max) => item.Array[min, max].Select(JsonText.Array);

    /// <summary>
    /// An object over <paramref name="fields"/>: each field left out, valid, or hostile; now and then a key twice (the
    /// second hostile) or a key the schema does not know.
    /// </summary>
    public static Gen<string> Object(params Field[] fields) => Object(1, fields);

    /// <summary>A request body: half with every top-level field sound or left out (so the route's own work runs), the rest hostile.</summary>
    public static Gen<string> Request(params Field[] fields) => Gen.Frequency<string>((1, Object(0, fields)), (1, Mutated(Object(3, fields))));

    /// <summary>As <see cref="Object(Field[])"/>, with <paramref name="hostile"/> in 15 + it the odds of a hostile value (0: none, no extra keys).</summary>
    public static Gen<string> Object(int hostile, params Field[] fields)
    {
        var members = Gen.Const(ImmutableList<string>.Empty);
        foreach (var field in fields)
        {
            var absent = field.Presence switch { Presence.Always => 0, Presence.Required => 1, _ => 5 };
            var member = Gen.Frequency<string?>(
                (absent, Gen.Const((string?)null)),
                (12, field.Valid.Select(v => (string?)JsonText.Member(field.Name, v))),
                (field.Odd is null || hostile == 0 ? 0 : 3, (field.Odd ?? field.Valid).Select(v => (string?)JsonText.Member(field.Name, v))),
                (hostile, Hostile.Select(v => (string?)JsonText.Member(field.Name, v))));
            members = Gen.Select(members, member, (list, m) => m is null ? list : list.Add(m));
        }

        return Gen.Select(members, Gen.Int[0, 19], Hostile, (list, mode, value) => mode switch
        {
            0 when list.Count > 0 && hostile > 0 => list.Add(list[0].Split(':', 2)[0] + ":" + value),
            1 when hostile > 0 => list.Add(JsonText.Member("unknown_" + value.Length, value)),
            _ => list,
        }).Select(JsonText.Object);
    }

    /// <summary>Now and then breaks the whole text: cut short, a raw NUL or invalid byte inside, wrapped, trailing junk.</summary>
    public static Gen<string> Mutated(Gen<string> body) => Gen.Select(body, Gen.Int[0, 29], Gen.Int[0, 1000], (text, mode, at) =>
    {
        var i = (int)((long)text.Length * at / 1000);
        return mode switch
        {
            0 => text[..i],
            1 => text.Insert(i, HostileUtf8.Nul.ToString()),
            2 => text.Insert(i, HostileUtf8.InvalidByte.ToString()),
            3 => "[" + text + "]",
            4 => text + "}}",
            5 => text.Insert(i, "\uD800"),
            _ => text,
        };
    });
}
