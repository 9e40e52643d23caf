using System.Text;
using System.Text.Json;
using InferenceServer.Contracts.Json;

namespace InferenceServer.Tests.Contracts.Json;

public sealed class JsonTextCheckTests
{
    [Theory]
    [InlineData("{\"a\":\"plain\"}")]
    [InlineData("{\"a\":\"\\ud83d\\ude00 pair\"}")]
    [InlineData("{\"a\":\"\\\\ud800 an escaped backslash, then text\"}")]
    [InlineData("{\"a\":\"\\u00e9\\n\\t\\\"\\/\"}")]
    [InlineData("{\"a\":[1,true,null,{\"b\":\"é 😀 中\"}]}")]
    [InlineData("{\"\\ud83d\\ude00\":\"a pair in a key\"}")]
    public void ValidTextPasses(string json)
    {
        using var document = JsonDocument.Parse(json);
        Assert.Null(JsonTextCheck.FindInvalid(document.RootElement));
    }

    [Theory]
    [InlineData("{\"a\":\"\\ud800\"}", "a")]
    [InlineData("{\"a\":\"x\\udc00\"}", "a")]
    [InlineData("{\"a\":\"\\ud800\\u0041\"}", "a")]
    [InlineData("{\"a\":\"\\ud800\\ud800\"}", "a")]
    [InlineData("{\"a\":\"\\ud800x\"}", "a")]
    [InlineData("{\"a\":[\"ok\",{\"b\":[\"\\udfff\"]}]}", "a[1].b[0]")]
    [InlineData("{\"a\":{\"\\ud800\":1}}", "a")]
    [InlineData("{\"\\ud800\":1}", "body")]
    public void AnUnpairedSurrogateIsFoundWithItsPath(string json, string path)
    {
        using var document = JsonDocument.Parse(json);
        Assert.Equal(path, JsonTextCheck.FindInvalid(document.RootElement));
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC3 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xC0, 0xAF })]
    [InlineData(new byte[] { (byte)'a', (byte)'\\', (byte)'n', 0xFE })]
    public void BytesThatAreNotUtf8AreFound(byte[] bad)
    {
        var json = Encoding.UTF8.GetBytes("{\"m\":[{\"content\":\"").Concat(bad).Concat(Encoding.UTF8.GetBytes("\"}]}")).ToArray();
        using var document = JsonDocument.Parse(json);
        Assert.Equal("m[0].content", JsonTextCheck.FindInvalid(document.RootElement));
    }
}
