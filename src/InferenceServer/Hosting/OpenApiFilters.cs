using System.Reflection;
using InferenceServer.Contracts;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace InferenceServer.Hosting;

/// <summary>Describes what reflection cannot see: event-stream responses and the fields the server requires.</summary>
internal sealed class OpenApiFilters : IOperationFilter, ISchemaFilter
{
    private static readonly Dictionary<Type, string[]> Required = new()
    {
        [typeof(ChatCompletionRequest)] = ["model", "messages"],
        [typeof(ChatMessageDto)] = ["role"],
        [typeof(Contracts.Responses.ResponseCreateRequest)] = ["model", "input"],
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var stream = context.MethodInfo.GetCustomAttribute<ProducesEventStreamAttribute>();
        if (stream is null || operation.Responses is null || !operation.Responses.TryGetValue("200", out var ok) || ok.Content is null)
        {
            return;
        }

        ok.Content["text/event-stream"] = new OpenApiMediaType
        {
            Schema = context.SchemaGenerator.GenerateSchema(stream.EventType, context.SchemaRepository),
        };
    }

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema concrete)
        {
            return;
        }

        // Requests accept fields this server does not read (clients send them); responses may grow.
        concrete.AdditionalPropertiesAllowed = true;
        concrete.AdditionalProperties = null;
        if (Required.TryGetValue(context.Type, out var names))
        {
            concrete.Required = new SortedSet<string>(names, StringComparer.Ordinal);
        }
    }

    /// <summary>Message content is a string or an array of content parts.</summary>
    public static OpenApiSchema MessageContentSchema() => new()
    {
        Description = "A string, or an array of content parts such as {\"type\":\"text\",\"text\":\"...\"}.",
        OneOf =
        [
            new OpenApiSchema { Type = JsonSchemaType.String },
            new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["type"] = new OpenApiSchema
                        {
                            Type = JsonSchemaType.String,
                            Description = "`text`, `image_url`, `file`, or a video: `video_url` (vLLM's name) or `input_video` (llama.cpp's).",
                        },
                        ["text"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["image_url"] = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            Description = "An image for a vision model: `url` (a data: URL, base64, or an http(s) URL) or `file_id`, and `detail`.",
                            Properties = new Dictionary<string, IOpenApiSchema>
                            {
                                ["url"] = new OpenApiSchema { Type = JsonSchemaType.String },
                                ["file_id"] = new OpenApiSchema { Type = JsonSchemaType.String },
                                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "`low`, `high`, `original` or `auto`." },
                            },
                        },
                        ["video_url"] = VideoSchema(),
                        ["input_video"] = VideoSchema(),
                    },
                },
            },
        ],
    };

    private static OpenApiSchema VideoSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "A video for a vision model (needs FFmpeg on the server): `url`, a data: URL (`data:video/mp4;base64,...`, WebM, any " +
            "format FFmpeg reads) or an http(s) URL. Frames are sampled at Vision:VideoFps (1 a second), at most Vision:MaxVideoFrames (8) " +
            "spread over the whole video, and each becomes an image in the part's place, counted against Vision:MaxImagesPerRequest.",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["url"] = new OpenApiSchema { Type = JsonSchemaType.String },
        },
    };
}
