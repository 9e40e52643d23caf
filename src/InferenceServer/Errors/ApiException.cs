namespace InferenceServer.Errors;

/// <summary>
/// A request the server refuses, with the status and the fields of the DeepSeek/OpenAI error envelope.
/// Thrown anywhere before the first response byte; <see cref="ApiExceptionHandler"/> writes it.
/// </summary>
public sealed class ApiException : Exception
{
    public ApiException(int status, string message, string type, string? param = null, string? code = null)
        : base(message)
    {
        Status = status;
        Type = type;
        Param = param;
        Code = code ?? type;
    }

    public int Status { get; }

    public string Type { get; }

    public string? Param { get; }

    public string Code { get; }

    /// <summary>Sent as the Retry-After header (seconds) when set, for 429 and 503.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>400 Invalid Format: the body is not what the endpoint reads.</summary>
    public static ApiException InvalidFormat(string message, string? param = null) =>
        new(StatusCodes.Status400BadRequest, message, "invalid_request_error", param, "invalid_request_error");

    /// <summary>422 Invalid Parameters: a field has the wrong type or an out-of-range value.</summary>
    public static ApiException InvalidParameter(string param, string message) =>
        new(StatusCodes.Status422UnprocessableEntity, message, "invalid_request_error", param, "invalid_parameter");

    public static ApiException ModelNotFound(string model) =>
        new(StatusCodes.Status400BadRequest, $"Model Not Exist: '{model}'. GET /models lists the models this server has.", "invalid_request_error", "model", "model_not_found");
}
