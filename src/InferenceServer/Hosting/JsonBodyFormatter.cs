using System.Text;
using System.Text.Json;
using InferenceServer.Contracts.Json;
using InferenceServer.Errors;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Mvc.Formatters;

namespace InferenceServer.Hosting;

/// <summary>
/// Reads JSON request bodies in two steps, so the status tells the client what went wrong: a body that is not JSON
/// (or not an object) is 400 Invalid Format; a field of the wrong type is 422 naming that field; a well-formed part no
/// loaded model reads (an image) is 400 naming it, as DeepSeek answers.
/// </summary>
internal sealed class JsonBodyFormatter : TextInputFormatter, IInputFormatterExceptionPolicy
{
    private readonly JsonSerializerOptions _options;

    public JsonBodyFormatter(JsonSerializerOptions options)
    {
        _options = options;
        SupportedEncodings.Add(Encoding.UTF8);
        SupportedMediaTypes.Add("application/json");
        SupportedMediaTypes.Add("text/json");
        SupportedMediaTypes.Add("application/*+json");
    }

    public InputFormatterExceptionPolicy ExceptionPolicy => InputFormatterExceptionPolicy.MalformedInputExceptions;

    public override async Task<InputFormatterResult> ReadRequestBodyAsync(InputFormatterContext context, Encoding encoding)
    {
        JsonElement root;
        try
        {
            var body = await RequestBodyReader.ReadAsync(context.HttpContext.Request, context.HttpContext.RequestAborted);
            root = Parse(body.Span);
        }
        catch (JsonException e)
        {
            throw ApiException.InvalidFormat($"The request body is not valid JSON: {e.Message}");
        }
        catch (IOException e) when (e is not (BadHttpRequestException or ConnectionResetException) && !context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // Kestrel reports some framing faults (a chunk size that overflows) as a bare IOException; Kestrel's own
            // BadHttpRequestException carries its status (413, 400), and a reset is a client gone: the handler maps both.
            throw ApiException.InvalidFormat($"The request body could not be read: {e.Message}");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw ApiException.InvalidFormat($"The request body must be a JSON object, not {root.ValueKind.ToString().ToLowerInvariant()}.");
        }

        if (JsonTextCheck.FindInvalid(root) is { } invalid)
        {
            throw ApiException.InvalidFormat(
                $"Invalid text in '{invalid}': the string is not valid Unicode (bytes that are not UTF-8, or an unpaired surrogate escape such as \\ud800).",
                invalid);
        }

        try
        {
            return await InputFormatterResult.SuccessAsync(root.Deserialize(context.ModelType, _options));
        }
        catch (JsonException e)
        {
            var param = ParamFromPath(e.Path);
            throw e is JsonFieldException { Unsupported: true }
                ? ApiException.InvalidFormat($"Invalid value for '{param}': {e.Message}", param)
                : ApiException.InvalidParameter(param, $"Invalid value for '{param}': {Describe(e)}");
        }
    }

    /// <summary>
    /// One JSON value and nothing after it. <see cref="JsonElement.ParseValue"/> allocates its document plainly (a
    /// disposable <see cref="JsonDocument"/> rents buffers the size of the body from the shared pool, which keeps them).
    /// </summary>
    private static JsonElement Parse(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith("\uFEFF"u8))
        {
            body = body[3..]; // A UTF-8 byte order mark, skipped as JsonDocument.ParseAsync skips it.
        }

        var reader = new Utf8JsonReader(body);
        var root = JsonElement.ParseValue(ref reader);
        if (reader.Read())
        {
            throw new JsonException($"'{(char)body[(int)reader.TokenStartIndex]}' is invalid after a single JSON value. Expected end of data.");
        }

        return root;
    }

    /// <summary><c>$.messages[0].content</c> → <c>messages[0].content</c>.</summary>
    internal static string ParamFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    private static string Describe(JsonException e) =>
        e is JsonFieldException field ? field.Message : "the value has the wrong type for this field.";
}
