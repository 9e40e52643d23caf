using System.Globalization;

namespace InferenceServer.Images;

/// <summary>A <c>WIDTHxHEIGHT</c> size, both positive multiples of 8 (the VAE's factor).</summary>
public readonly record struct ImageSize(int Width, int Height)
{
    public static bool TryParse(string? text, out ImageSize size)
    {
        size = default;
        var parts = text?.Split('x');
        if (parts is not { Length: 2 }
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var w)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || w <= 0 || h <= 0 || w % 8 != 0 || h % 8 != 0 || w > 4096 || h > 4096)
        {
            return false;
        }

        size = new ImageSize(w, h);
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Width}x{Height}");
}
