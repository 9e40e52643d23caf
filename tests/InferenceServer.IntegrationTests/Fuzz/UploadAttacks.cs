using System.Text;

namespace InferenceServer.IntegrationTests.Fuzz;

/// <summary>Every hostile image as image and as mask, every multipart breakage, and the wrong content types, on edits and variations.</summary>
public static class UploadAttacks
{
    public static IEnumerable<FuzzCase> All()
    {
        MultipartPart[] Fields(string path) => path.Contains("edits", StringComparison.Ordinal)
            ? [MultipartPart.Text("prompt", "a red cat"), MultipartPart.Text("size", "64x64"), MultipartPart.Text("steps", "1")]
            : [MultipartPart.Text("size", "64x64"), MultipartPart.Text("steps", "1")];
        FuzzCase Case(string path, string label, IReadOnlyList<MultipartPart> parts, int breakage = 0) =>
            new(path.Contains("edits", StringComparison.Ordinal) ? "images/edits" : "images/variations", label, path,
                RequestBytes.With("POST", path, Multipart.ContentType(breakage), Multipart.Body(parts, breakage)));

        foreach (var path in new[] { "v1/images/edits", "images/variations" })
        {
            var sound = new MultipartPart("image", HostileImages.TinyPng, "a.png", "image/png");
            foreach (var (name, bytes) in HostileImages.All)
            {
                yield return Case(path, $"image: {name}", [.. Fields(path), new MultipartPart("image", bytes, "a.png", "image/png")]);
                yield return Case(path, $"mask: {name}", [.. Fields(path), sound, new MultipartPart("mask", bytes, "m.png", "image/png")]);
            }

            for (var breakage = 1; breakage < Multipart.Breakage.Length; breakage++)
            {
                yield return Case(path, $"multipart: {Multipart.Breakage[breakage]}", [.. Fields(path), sound], breakage);
            }

            yield return Case(path, "no image part", Fields(path));
            yield return Case(path, "two images", [.. Fields(path), sound, sound with { Name = "image[]" }]);
            yield return Case(path, "image as a text field", [.. Fields(path), MultipartPart.Text("image", "not a file")]);
            yield return Case(path, "file name with a path and NUL", [.. Fields(path), sound with { FileName = "../../etc/passwd\u0000.png" }]);
            yield return Case(path, "image part typed text/plain", [.. Fields(path), sound with { ContentType = "text/plain" }]);
            yield return Case(path, "200 text fields", [.. Fields(path), sound, .. Enumerable.Range(0, 200).Select(i => MultipartPart.Text($"f{i}", "x"))]);
            yield return Case(path, "an invalid UTF-8 field name", [.. Fields(path), sound, MultipartPart.Text("a" + HostileUtf8.InvalidByte, "x")]);
            yield return Case(path, "an upload over Images:MaxUploadBytes", [.. Fields(path), sound with { Data = new byte[400_000] }]);

            var body = Encoding.UTF8.GetBytes("{\"prompt\":\"a red cat\"}");
            foreach (var type in new[] { "application/json", "text/plain", "multipart/form-data; boundary=", "multipart/mixed; boundary=" + Multipart.Boundary, "application/x-www-form-urlencoded" })
            {
                yield return new FuzzCase(path.Contains("edits", StringComparison.Ordinal) ? "images/edits" : "images/variations", $"Content-Type: {type}", path,
                    RequestBytes.With("POST", path, type, type.StartsWith("application/x-www", StringComparison.Ordinal) ? "prompt=a&image=b"u8.ToArray() : body));
            }
        }
    }
}
