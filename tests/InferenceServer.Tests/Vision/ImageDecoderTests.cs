using InferenceServer.Errors;
using InferenceServer.Vision;
using SkiaSharp;

namespace InferenceServer.Tests.Vision;

/// <summary>What the decoder hands a vision model: <c>detail: low</c> fits 512×512 keeping the aspect, others keep the size; header sizes are read per format.</summary>
public sealed class ImageDecoderTests
{
    private static readonly VisionOptions Options = new();

    private static byte[] Encode(int width, int height, SKColor color, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.Erase(color);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 90);
        return data.ToArray();
    }

    private static ImagePart Part(ImageDetail detail) => new("image_url", "messages[0].content[0]", "messages[0].content[0].image_url.url", "data:", null, detail);

    [Theory]
    [InlineData(ImageDetail.Low, 512, 384)]
    [InlineData(ImageDetail.High, 1024, 768)]
    [InlineData(ImageDetail.Original, 1024, 768)]
    [InlineData(ImageDetail.Auto, 1024, 768)]
    public void LowDetailFitsTheBoxAndTheOthersKeepTheSize(ImageDetail detail, int width, int height)
    {
        var image = ImageDecoder.Decode(Part(detail), Encode(1024, 768, SKColors.Red, SKEncodedImageFormat.Png), Options);
        Assert.Equal((1024, 768), (image.Width, image.Height));
        Assert.Equal((width, height), (image.Pixels.Width, image.Pixels.Height));
        Assert.Equal([255, 0, 0], image.Pixels.Pixels[..3]);
    }

    [Fact]
    public void ASmallImageIsNotEnlargedByLowDetail()
    {
        var image = ImageDecoder.Decode(Part(ImageDetail.Low), Encode(40, 30, SKColors.Blue, SKEncodedImageFormat.Png), Options);
        Assert.Equal((40, 30), (image.Pixels.Width, image.Pixels.Height));
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Png, "image/png")]
    [InlineData(SKEncodedImageFormat.Jpeg, "image/jpeg")]
    [InlineData(SKEncodedImageFormat.Webp, "image/webp")]
    public void TheHeaderSizeIsReadWithoutADecoder(SKEncodedImageFormat format, string type)
    {
        Assert.True(ImageHeader.TryReadSize(Encode(321, 123, SKColors.Green, format), type, out var width, out var height));
        Assert.Equal((321, 123), (width, height));
    }

    [Fact]
    public void AGifGivesItsFirstFrameAndItsScreenSize()
    {
        var gif = Convert.FromBase64String("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");
        var image = ImageDecoder.Decode(Part(ImageDetail.Auto), gif, Options);
        Assert.Equal(("image/gif", 1, 1), (image.Format, image.Width, image.Height));
    }

    [Fact]
    public void AHeaderOverThePixelBoundIsRefusedBeforeDecoding()
    {
        var png = Encode(100, 100, SKColors.Red, SKEncodedImageFormat.Png);
        var e = Assert.Throws<ApiException>(() => ImageDecoder.Decode(Part(ImageDetail.Auto), png, new VisionOptions { MaxImagePixels = 9_999 }));
        Assert.Equal(("invalid_image", "messages[0].content[0].image_url.url"), (e.Code, e.Param));
        Assert.Contains("100x100; an image may have at most 9999 pixels (Vision:MaxImagePixels)", e.Message);
    }
}
