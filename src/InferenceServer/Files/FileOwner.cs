using InferenceServer.Security;

namespace InferenceServer.Files;

/// <summary>Who a request's files belong to: the id of its API key, or one shared owner when no keys are configured.</summary>
internal static class FileOwner
{
    public static string Of(HttpContext context) =>
        context.Items.TryGetValue(ApiKeyStore.ItemKey, out var id) && id is string key ? key : string.Empty;
}
