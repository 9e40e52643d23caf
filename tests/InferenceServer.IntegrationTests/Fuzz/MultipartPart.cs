namespace InferenceServer.IntegrationTests.Fuzz;

/// <summary>One part of a multipart/form-data body: a form field, or a file when <see cref="FileName"/> is set.</summary>
public sealed record MultipartPart(string Name, byte[] Data, string? FileName = null, string? ContentType = null)
{
    public static MultipartPart Text(string name, string value) => new(name, HostileUtf8.Encode(value));
}
