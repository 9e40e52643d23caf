using InferenceServer.Engine.Generation;
using Serilog;

namespace InferenceServer.Hosting;

/// <summary>Adds model and token counts to the one log line per request (never prompt or completion text).</summary>
internal static class RequestLogEnricher
{
    public static void Enrich(IDiagnosticContext diagnostics, HttpContext context)
    {
        diagnostics.Set("RequestId", context.TraceIdentifier);
        if (context.Items.TryGetValue(Security.ApiKeyStore.ItemKey, out var key))
        {
            diagnostics.Set("ApiKey", key);
        }

        if (context.Items.TryGetValue("model", out var model))
        {
            diagnostics.Set("Model", model);
        }

        if (context.Items.TryGetValue("usage", out var value) && value is GenerationUsage usage)
        {
            diagnostics.Set("PromptTokens", usage.PromptTokens);
            diagnostics.Set("CompletionTokens", usage.CompletionTokens);
        }
    }
}
