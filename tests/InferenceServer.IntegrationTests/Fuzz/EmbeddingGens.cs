using CsCheck;
using static InferenceServer.IntegrationTests.Fuzz.JsonGens;

namespace InferenceServer.IntegrationTests.Fuzz;

/// <summary>Embeddings requests on /embeddings and /v1/embeddings.</summary>
public static class EmbeddingGens
{
    public static readonly string[] Paths = ["embeddings", "v1/embeddings"];

    private static readonly Gen<string> Input = Gen.OneOf<string>(
        Strings("hello", "", "a b c"),
        ArrayOf(Strings("hello", "world", ""), 0, 5),
        ArrayOf(Ints(-5, 40000), 0, 8),
        ArrayOf(ArrayOf(Ints(0, 30000), 0, 4), 0, 3),
        Gen.Int[2000, 2100].Select(n => JsonText.Array(Enumerable.Repeat("\"x\"", n))));

    public static readonly Gen<string> Body = Request(
        new Field("model", Strings(Infrastructure.EmbeddingServerFixture.Model, "text-embedding-3-small"), Presence.Required, Strings("deepseek-chat", "nope")),
        new Field("input", Input, Presence.Required),
        new Field("encoding_format", Strings("float", "base64"), Odd: Strings("int8")),
        new Field("dimensions", Ints(1, 384), Odd: Ints(385, 100000)),
        new Field("user", Strings("u-1")));

    public static readonly Gen<FuzzCase> Cases = Gen.Select(Gen.OneOf(Paths), Body, (path, body) => FuzzCase.Json("embeddings", "generated", path, body));
}
