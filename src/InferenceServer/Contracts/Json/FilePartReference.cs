namespace InferenceServer.Contracts.Json;

/// <summary>A content part that names an uploaded file: its index in <c>content</c>, its type and the id.</summary>
public sealed record FilePartReference(int PartIndex, string Type, string FileId, string Field);
