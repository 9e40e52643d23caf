using System.Reflection;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace InferenceServer.Files;

/// <summary>Describes the upload form, which the action streams itself instead of binding.</summary>
internal sealed class FileUploadOpenApiFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.MethodInfo.GetCustomAttribute<FileUploadBodyAttribute>() is null)
        {
            return;
        }

        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, IOpenApiMediaType>
            {
                ["multipart/form-data"] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new SortedSet<string>(["file", "purpose"], StringComparer.Ordinal),
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["file"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "A JPEG, PNG, GIF or WebP image (told from its content)." },
                            ["purpose"] = new OpenApiSchema
                            {
                                Type = JsonSchemaType.String,
                                Description = "user_data. text_recognition and rich_layout_recognition need a document model, which this server does not have.",
                            },
                            ["expires_after[anchor]"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "created_at; with expires_after[seconds]." },
                            ["expires_after[seconds]"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "3600 to 2592000; without both expires_after fields the file is kept until deleted." },
                        },
                    },
                },
            },
        };
    }
}
