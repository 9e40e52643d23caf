using System.Text.Json;
using InferenceServer.Engine.Models;

namespace InferenceServer.Engine.Videos;

/// <summary>
/// The fields of a Wan <c>scheduler/scheduler_config.json</c> the flow-matching schedule uses: the class, the training
/// steps and the shift (<c>flow_shift</c> as UniPC configs write it, else FlowMatchEuler's <c>shift</c>).
/// </summary>
public sealed record VideoSchedulerConfig
{
    public string ClassName { get; init; } = "FlowMatchEulerDiscreteScheduler";

    public int TrainTimesteps { get; init; } = 1000;

    public double Shift { get; init; } = 1.0;

    public static VideoSchedulerConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ModelLoadException($"{path} is missing: a video pipeline needs its scheduler config (flow_shift).");
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var r = doc.RootElement;
            var d = new VideoSchedulerConfig();
            return new VideoSchedulerConfig
            {
                ClassName = r.TryGetProperty("_class_name", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : d.ClassName,
                TrainTimesteps = r.TryGetProperty("num_train_timesteps", out var n) && n.TryGetInt32(out var steps) ? steps : d.TrainTimesteps,
                Shift = Number(r, "flow_shift") ?? Number(r, "shift") ?? d.Shift,
            };
        }
        catch (JsonException e)
        {
            throw new ModelLoadException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    private static double? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}
