using InferenceServer.Errors;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace InferenceServer.Hosting;

/// <summary>
/// The errors the middleware in front of every API route can answer, which no controller declares: 401 (keys set, and
/// none or a wrong one sent), 429 (a key's rate or concurrency limit), and for POST 402 (a key's token budget spent) and
/// 413 (a body over the route's limit). Anthropic's routes answer them in Anthropic's envelope, the rest in DeepSeek's.
/// </summary>
internal sealed class ErrorResponsesOpenApiFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.Responses is null)
        {
            return;
        }

        var anthropic = context.ApiDescription.SupportedResponseTypes.Any(r => r.Type == typeof(AnthropicErrorEnvelope));
        var envelope = context.SchemaGenerator.GenerateSchema(anthropic ? typeof(AnthropicErrorEnvelope) : typeof(ErrorEnvelope), context.SchemaRepository);
        Add(operation, "401", "Unauthorized: API keys are set (Auth:Keys) and the request sent none, or an unknown one", envelope);
        if (HttpMethods.IsPost(context.ApiDescription.HttpMethod ?? string.Empty))
        {
            Add(operation, "402", "Payment Required: the key's token budget (Balance:TokenBudgets) is spent", envelope);
            Add(operation, "413", "Content Too Large: the body is over the route's limit (Limits)", envelope);
        }

        Add(operation, "429", "Too Many Requests: the key's rate or concurrency limit (RateLimits); Retry-After says when to retry", envelope);
    }

    private static void Add(OpenApiOperation operation, string status, string description, IOpenApiSchema envelope)
    {
        if (operation.Responses!.ContainsKey(status))
        {
            return;
        }

        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, IOpenApiMediaType> { ["application/json"] = new OpenApiMediaType { Schema = envelope } },
        };
    }
}
