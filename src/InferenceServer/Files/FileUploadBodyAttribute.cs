namespace InferenceServer.Files;

/// <summary>Marks the upload action, whose multipart body is read by hand (streamed), for the OpenAPI description.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class FileUploadBodyAttribute : Attribute;
