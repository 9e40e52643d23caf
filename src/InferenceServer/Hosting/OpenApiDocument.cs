using Swashbuckle.AspNetCore.SwaggerGen;

namespace InferenceServer.Hosting;

/// <summary>The served OpenAPI description; <c>openapi.yaml</c> at the repository root must equal it (a test checks).</summary>
internal static class OpenApiDocument
{
    public static void Configure(SwaggerGenOptions options)
    {
        options.SwaggerDoc("v1", new()
        {
            Title = "InferenceServer",
            Version = "v1",
            Description = "DeepSeek/OpenAI-compatible inference on ONNX Runtime. Every path also answers under /v1; /beta adds chat prefix completion.",
        });
        var xml = Path.Combine(AppContext.BaseDirectory, "InferenceServer.xml");
        if (File.Exists(xml))
        {
            options.IncludeXmlComments(xml, includeControllerXmlComments: true);
        }

        options.SupportNonNullableReferenceTypes();
        options.MapType<Contracts.Json.MessageContent>(OpenApiFilters.MessageContentSchema);
        options.OperationFilter<OpenApiFilters>();
        options.OperationFilter<Files.FileUploadOpenApiFilter>();
        options.OperationFilter<Videos.VideoCreateOpenApiFilter>();
        options.OperationFilter<ErrorResponsesOpenApiFilter>();
        options.SchemaFilter<OpenApiFilters>();
    }
}
