using InferenceServer.Errors;

namespace InferenceServer.Security;

/// <summary>With keys configured: every route outside <see cref="OpenPaths"/> needs a valid key, else 401 with the envelope.</summary>
internal sealed class ApiKeyMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ApiKeyStore _keys;

    public ApiKeyMiddleware(RequestDelegate next, ApiKeyStore keys)
    {
        _next = next;
        _keys = keys;
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (!_keys.Enabled || OpenPaths.IsOpen(context.Request.Path))
        {
            return _next(context);
        }

        var presented = Presented(context.Request);
        var id = presented is null ? null : _keys.Match(presented);
        if (id is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            var message = presented is null
                ? "Authentication Fails: no API key. Send the header Authorization: Bearer KEY, or x-api-key: KEY."
                : "Authentication Fails: the API key is not valid.";
            return ErrorWriter.WriteAsync(context, StatusCodes.Status401Unauthorized, message, "authentication_error", null, "invalid_api_key");
        }

        context.Items[ApiKeyStore.ItemKey] = id;
        return _next(context);
    }

    private static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        var header = request.Headers["x-api-key"].ToString();
        return header.Length > 0 ? header.Trim() : null;
    }
}
