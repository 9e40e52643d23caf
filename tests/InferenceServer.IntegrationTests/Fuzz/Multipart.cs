using System.Text;

namespace InferenceServer.IntegrationTests.Fuzz;

/// <summary>multipart/form-data by hand, sound or broken in the ways <see cref="Breakage"/> names.</summary>
public static class Multipart
{
    public const string Boundary = "fuzzboundary7MA4YWxkTrZu0gW";

    public static readonly string[] Breakage =
        ["sound", "no closing boundary", "header names another boundary", "part without Content-Disposition", "cut in half",
         "no boundary parameter", "8 KB part header", "part header without a blank line", "duplicate fields"];

    public static string ContentType(int breakage) => breakage switch
    {
        2 => "multipart/form-data; boundary=another",
        5 => "multipart/form-data",
        _ => "multipart/form-data; boundary=" + Boundary,
    };

    public static byte[] Body(IReadOnlyList<MultipartPart> parts, int breakage)
    {
        var output = new MemoryStream();
        void Write(string text) => output.Write(HostileUtf8.Encode(text));
        var all = breakage == 8 ? [.. parts, .. parts] : parts;
        for (var i = 0; i < all.Count; i++)
        {
            var part = all[i];
            Write($"--{Boundary}\r\n");
            if (!(breakage == 3 && i == 0))
            {
                Write($"Content-Disposition: form-data; name=\"{part.Name}\"" + (part.FileName is null ? string.Empty : $"; filename=\"{part.FileName}\"") + "\r\n");
            }

            if (part.ContentType is not null)
            {
                Write($"Content-Type: {part.ContentType}\r\n");
            }

            if (breakage == 6 && i == 0)
            {
                Write("X-Padding: " + new string('p', 8192) + "\r\n");
            }

            Write(breakage == 7 && i == 0 ? string.Empty : "\r\n");
            output.Write(part.Data);
            Write("\r\n");
        }

        if (breakage != 1)
        {
            Write($"--{Boundary}--\r\n");
        }

        var bytes = output.ToArray();
        return breakage == 4 ? bytes[..(bytes.Length / 2)] : bytes;
    }

    public static string Describe(IReadOnlyList<MultipartPart> parts) =>
        string.Join(", ", parts.Select(p => p.FileName is null ? $"{p.Name}={Encoding.UTF8.GetString(p.Data.Take(20).ToArray())}" : $"{p.Name}=<{p.Data.Length} bytes>"));
}
