using InferenceServer.Contracts.Videos;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace InferenceServer.Videos;

/// <summary>Describes <c>POST /v1/videos</c>'s body, which the action reads itself (JSON or multipart, same fields).</summary>
internal sealed class VideoCreateOpenApiFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.MethodInfo.DeclaringType != typeof(Controllers.VideosController) || context.MethodInfo.Name != nameof(Controllers.VideosController.CreateAsync))
        {
            return;
        }

        var schema = context.SchemaGenerator.GenerateSchema(typeof(VideoCreateRequest), context.SchemaRepository);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, IOpenApiMediaType>
            {
                ["application/json"] = new OpenApiMediaType { Schema = schema },
                ["multipart/form-data"] = new OpenApiMediaType { Schema = schema },
            },
        };
    }
}
