using System.Text;
using InferenceServer.Files;

namespace InferenceServer.Tests.Files;

public sealed class VideoSnifferTests
{
    [Theory]
    [InlineData("\0\0\0\u0020ftypisom\0\0\u0002\0", "video/mp4")]
    [InlineData("\0\0\0\u0014ftypqt  \0\0\u0002\0", "video/quicktime")]
    [InlineData("\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01\x42\x82\x84webm", "video/webm")]
    [InlineData("\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01\x42\x82\x88matroska", "video/x-matroska")]
    [InlineData("RIFF\x01\0\0\0AVI LIST", "video/x-msvideo")]
    [InlineData("RIFF\x01\0\0\0WAVEfmt ", null)]
    [InlineData("\0\0\0\u0020moov", null)]
    [InlineData("%PDF-1.7", null)]
    public void TheContainerComesFromTheBytes(string head, string? expected) =>
        Assert.Equal(expected, VideoSniffer.ContentType(Encoding.Latin1.GetBytes(head)));
}
