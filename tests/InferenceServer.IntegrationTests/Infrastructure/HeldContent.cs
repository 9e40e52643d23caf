using System.Net;

namespace InferenceServer.IntegrationTests.Infrastructure;

/// <summary>
/// A request body of unknown length (chunked) that sends its first part, flushes it, and then holds until
/// <c>release</c> completes: an upload the server is in the middle of writing for as long as a test needs.
/// </summary>
public sealed class HeldContent(byte[] first, byte[] rest, Task release) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(first);
        await stream.FlushAsync();
        await release;
        await stream.WriteAsync(rest);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
