using System.Text;
using InferenceServer.Engine.Generation.Constraints;

namespace InferenceServer.Tests.Generation.Constraints;

public sealed class JsonStateTests
{
    [Theory]
    [InlineData("{}")]
    [InlineData("{\"a\":1}")]
    [InlineData("{ \"a\" : [1, -2.5e+3, true, false, null, \"x\\n\\u00e9\", {}], \"b\": {\"c\": []} }")]
    [InlineData("{\"é\":\"日本\"}")]
    public void ValidObjectsAreAcceptedAndFinish(string json)
    {
        var s = default(JsonState);
        foreach (var b in Encoding.UTF8.GetBytes(json))
        {
            Assert.True(s.Step(b), $"rejected at byte '{(char)b}'");
        }

        Assert.True(s.IsDone);
        Assert.Equal(0, s.MinBytesToFinish);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("1")]
    [InlineData(" {}")]
    [InlineData("{\"a\"}")]
    [InlineData("{\"a\":01}")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\":tru}")]
    [InlineData("{\"a\":\"\\x\"}")]
    [InlineData("{\"a\":\"\n\"}")]
    [InlineData("{}}")]
    [InlineData("{\"a\":1]")]
    public void InvalidTextIsRejectedAtTheFirstBadByte(string json)
    {
        var s = default(JsonState);
        var ok = true;
        foreach (var b in Encoding.UTF8.GetBytes(json))
        {
            ok = s.Step(b);
            if (!ok)
            {
                break;
            }
        }

        Assert.False(ok && s.IsDone);
    }

    [Fact]
    public void MinBytesToFinishIsEnoughToClose()
    {
        var s = default(JsonState);
        foreach (var b in "{\"a\":[{\"b\":\"x"u8)
        {
            Assert.True(s.Step(b));
        }

        // Closing quote, '}', ']', '}'.
        Assert.Equal(4, s.MinBytesToFinish);
        foreach (var b in "\"}]}"u8)
        {
            Assert.True(s.Step(b));
        }

        Assert.True(s.IsDone);
    }
}
