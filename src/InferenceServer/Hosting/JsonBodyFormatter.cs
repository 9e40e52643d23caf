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
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.HttpContext.Request.Body, cancellationToken: context.HttpContext.RequestAborted);
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

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw ApiException.InvalidFormat($"The request body must be a JSON object, not {document.RootElement.ValueKind.ToString().ToLowerInvariant()}.");
            }

            if (JsonTextCheck.FindInvalid(document.RootElement) is { } invalid)
            {
                throw ApiException.InvalidFormat(
                    $"Invalid text in '{invalid}': the string is not valid Unicode (bytes that are not UTF-8, or an unpaired surrogate escape such as \\ud800).",
                    invalid);
            }

            try
            {
                return await InputFormatterResult.SuccessAsync(document.RootElement.Deserialize(context.ModelType, _options));
            }
            catch (JsonException e)
            {
                var param = ParamFromPath(e.Path);
                throw e is JsonFieldException { Unsupported: true }
                    ? ApiException.InvalidFormat($"Invalid value for '{param}': {e.Message}", param)
                    : ApiException.InvalidParameter(param, $"Invalid value for '{param}': {Describe(e)}");
            }
        }
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
