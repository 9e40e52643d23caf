using InferenceServer.Errors;

namespace InferenceServer.Files;

/// <summary>The refusals every Files route shares.</summary>
internal static class FileErrors
{
    /// <summary>404 for an id that is unknown, malformed, another key's or expired: the answer does not tell them apart.</summary>
    public static ApiException NotFound(string? id, string param) => new(StatusCodes.Status404NotFound,
        $"No such file: '{id}'. GET /files lists the files of this API key.", "invalid_request_error", param, "file_not_found");
}
