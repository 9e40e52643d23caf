using System.Collections.Immutable;
using CsCheck;
using static InferenceServer.IntegrationTests.Fuzz.JsonGens;
using static InferenceServer.IntegrationTests.Fuzz.SchemaGens;

namespace InferenceServer.IntegrationTests.Fuzz;

/// <summary>Image generations (JSON) and edits / variations (multipart) against the forge diffusion model.</summary>
public static class ImageGens
{
    private const string Model = Infrastructure.ImageServerFixture.Model;

    public static readonly Gen<string> GenerationBody = Request(
        new Field("prompt", Strings("a red cat", "a dog"), Presence.Required, Strings("")),
        new Field("model", Strings(Model), Odd: Strings("dall-e-3", "deepseek-chat")),
        new Field("n", Ints(1, 2), Presence.Always),
        new Field("size", Strings("64x64"), Presence.Always, Strings("63x64", "99999x99999", "0x0", "-64x64")),
        new Field("steps", Ints(1, 2), Presence.Always),
        new Field("response_format", Strings("b64_json", "url"), Odd: Strings("svg")),
        new Field("output_format", Strings("png", "jpeg", "webp"), Odd: Strings("bmp")),
        new Field("output_compression", Ints(0, 100)),
        new Field("quality", Strings("auto", "low", "hd")),
        new Field("background", Strings("auto", "opaque"), Odd: Strings("transparent")),
        new Field("moderation", Strings("auto", "low")),
        new Field("style", Strings("vivid")),
        new Field("stream", Strings("false"), Odd: Strings("true")),
        new Field("user", Strings("u-1")),
        new Field("seed", Seed),
        new Field("negative_prompt", Strings("blurry")),
        new Field("guidance_scale", Tenths(0, 300), Odd: Tenths(301, 1000)),
        new Field("scheduler", Strings("euler", "euler_a", "ddim", "lcm"), Odd: Strings("pndm")));

    public static readonly Gen<FuzzCase> Generations = Gen.Select(Gen.OneOf("images/generations", "v1/images/generations"), GenerationBody,
        (path, body) => FuzzCase.Json("images/generations", "generated", path, body));

    /// <summary>Form values as a client could type them, most of them wrong.</summary>
    private static readonly Gen<string> HostileFormValue = Gen.OneOf(
        "", "abc", "1e400", "2", "dall-e-2", "64x65", "auto", "transparent", "-1", "99999999999999999999", "1.5", "NaN", "\uD800", $"a{HostileUtf8.InvalidByte}", $"a{HostileUtf8.Nul}b", new string('z', 5000));

    private static readonly (string Name, Gen<string> Valid)[] FormFields =
    [
        ("prompt", Gen.OneOf("a red cat")), ("model", Gen.OneOf(Model)), ("n", Gen.OneOf("1", "2")),
        ("size", Gen.OneOf("64x64")), ("steps", Gen.OneOf("1", "2")), ("response_format", Gen.OneOf("b64_json", "url")),
        ("output_format", Gen.OneOf("png", "webp")), ("output_compression", Gen.OneOf("50")), ("quality", Gen.OneOf("auto")),
        ("background", Gen.OneOf("opaque")), ("seed", Gen.OneOf("7")), ("negative_prompt", Gen.OneOf("blurry")),
        ("guidance_scale", Gen.OneOf("1.5")), ("scheduler", Gen.OneOf("euler")), ("strength", Gen.OneOf("0.5", "1")),
    ];

    private static readonly Gen<ImmutableList<MultipartPart>> Fields = Gen.Frequency<ImmutableList<MultipartPart>>((2, FieldsWith(0)), (3, FieldsWith(2)));

    private static Gen<ImmutableList<MultipartPart>> FieldsWith(int hostile) => FormFields.Aggregate(
        Gen.Const(ImmutableList<MultipartPart>.Empty),
        (parts, field) => Gen.Select(parts, Gen.Frequency<string?>(
                (field.Name is "steps" or "size" ? 0 : 4, Gen.Const((string?)null)),
                (10, field.Valid.Select(v => (string?)v)),
                (hostile, HostileFormValue.Select(v => (string?)v))),
            (list, value) => value is null ? list : list.Add(MultipartPart.Text(field.Name, value))));

    private static readonly Gen<(string Name, byte[] Bytes)?> File = Gen.Frequency<(string Name, byte[] Bytes)?>(
        (1, Gen.Const(((string Name, byte[] Bytes)?)null)),
        (6, Gen.Const(((string Name, byte[] Bytes)?)("png", HostileImages.TinyPng))),
        (4, Gen.OneOf(HostileImages.All.ToArray()).Select(f => ((string Name, byte[] Bytes)?)f)));

    public static readonly Gen<FuzzCase> Uploads = Gen.Select(
        Gen.OneOf("images/edits", "v1/images/edits", "images/variations", "v1/images/variations"), Fields, File,
        Gen.Frequency<(string Name, byte[] Bytes)?>((3, Gen.Const(((string Name, byte[] Bytes)?)null)), (1, File)),
        Gen.Frequency<int>((12, Gen.Const(0)), (1, Gen.Int[1, Multipart.Breakage.Length - 1])),
        Gen.OneOf("image", "image[]", "img"),
        (path, fields, image, mask, breakage, imageField) =>
        {
            var parts = fields;
            if (image is { } i)
            {
                parts = parts.Add(new MultipartPart(imageField, i.Bytes, "upload.png", "image/png"));
            }

            if (mask is { } m)
            {
                parts = parts.Add(new MultipartPart("mask", m.Bytes, "mask.png", "image/png"));
            }

            var route = path.Contains("edits", StringComparison.Ordinal) ? "images/edits" : "images/variations";
            var label = $"{Multipart.Breakage[breakage]}: {Multipart.Describe(parts)}";
            return new FuzzCase(route, label, path, RequestBytes.With("POST", path, Multipart.ContentType(breakage), Multipart.Body(parts, breakage)));
        });
}
