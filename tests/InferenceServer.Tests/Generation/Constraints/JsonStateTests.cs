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
    [InlineData("{\n    \"a\": {\n        \"b\": [\n            1,\n            2\n        ]\n    }\r\n}")]
    [InlineData("{\"a\":[12345678901234567, 0.12345678901234567, 1e99, -1.5E-99, 0e+00]}")]
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
    [InlineData("{\"a\":123456789012345678}")]
    [InlineData("{\"a\":0.123456789012345678}")]
    [InlineData("{\"a\":1e100}")]
    [InlineData("{\"a\":-551e633664124026309}")]
    [InlineData("{\"a\":8829422.61E182871}")]
    [InlineData("{\"a\":1 }, ")]
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
    public void AGapTakesAtMostTheWhitespaceCap()
    {
        var s = default(JsonState);
        foreach (var b in Encoding.UTF8.GetBytes("{\"a\":" + new string('\t', JsonWhitespace.MaxRun)))
        {
            Assert.True(s.Step(b));
        }

        var more = s;
        Assert.False(more.Step((byte)' '));
        Assert.True(s.Step((byte)'1'));
    }

    [Fact]
    public void AnIntegerIsASafeOne()
    {
        static bool Accepts(string text)
        {
            var s = JsonState.Integer();
            foreach (var b in Encoding.UTF8.GetBytes(text))
            {
                if (!s.Step(b))
                {
                    return false;
                }
            }

            return s.NumberComplete;
        }

        Assert.True(Accepts("9007199254740991"));
        Assert.True(Accepts("-9007199254740991"));
        Assert.False(Accepts("9007199254740992"));
        Assert.False(Accepts("-90071992547409910"));
        Assert.False(Accepts("1.5"));
        Assert.False(Accepts("1e3"));
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
