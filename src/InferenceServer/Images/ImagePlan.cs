using InferenceServer.Engine.Images;

namespace InferenceServer.Images;

/// <summary>A validated image request: the model, what to make, how many, and how to return them.</summary>
public sealed record ImagePlan(
    ServedImageModel Model,
    string Prompt,
    string NegativePrompt,
    ImageSize Size,
    int Count,
    bool AsUrl,
    string OutputFormat,
    int Compression,
    string Quality,
    long Seed,
    int Steps,
    float GuidanceScale,
    SchedulerKind? Scheduler,
    float Strength);
