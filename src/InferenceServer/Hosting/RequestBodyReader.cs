using System.Buffers;
using System.IO.Pipelines;

namespace InferenceServer.Hosting;

/// <summary>
/// Reads a whole request body into one array of its own. Not the shared <see cref="ArrayPool{T}"/>: a 16 MB or 32 MB
/// buffer returned there stays in the process until a later full collection long after (the pool trims on gen-2
/// collections, and only buffers idle for a minute), so a few large bodies left the server holding a gigabyte it no
/// longer needed. A plain array is garbage once the request is read.
/// </summary>
internal static class RequestBodyReader
{
    private const int InitialSize = 16 * 1024;

    public static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var reader = request.BodyReader;
        var buffer = new byte[request.ContentLength is { } declared and > 0 ? (int)Math.Min(declared, Array.MaxLength) : InitialSize];
        var length = 0;
        while (true)
        {
            ReadResult result = await reader.ReadAsync(cancellationToken);
            foreach (var segment in result.Buffer)
            {
                if (length + segment.Length > buffer.Length)
                {
                    Array.Resize(ref buffer, (int)Math.Min(Math.Max((long)buffer.Length * 2, length + segment.Length), Array.MaxLength));
                }

                segment.Span.CopyTo(buffer.AsSpan(length));
                length += segment.Length;
            }

            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                request.HttpContext.RequestServices.GetService<LargeBodyMemory>()?.Note(length); // A chunked body has no Content-Length.
                return buffer.AsMemory(0, length);
            }
        }
    }
}
