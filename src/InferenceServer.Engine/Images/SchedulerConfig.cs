using System.Text.Json;
using InferenceServer.Engine.Models;

namespace InferenceServer.Engine.Images;

/// <summary>The fields of a diffusers <c>scheduler/scheduler_config.json</c> the schedulers use, with diffusers' defaults.</summary>
public sealed record SchedulerConfig
{
    public string ClassName { get; init; } = "EulerDiscreteScheduler";

    public int TrainTimesteps { get; init; } = 1000;

    public double BetaStart { get; init; } = 0.00085;

    public double BetaEnd { get; init; } = 0.012;

    public string BetaSchedule { get; init; } = "scaled_linear";

    public string PredictionType { get; init; } = "epsilon";

    public string TimestepSpacing { get; init; } = "leading";

    public int StepsOffset { get; init; }

    public bool SetAlphaToOne { get; init; } = true;

    public int OriginalInferenceSteps { get; init; } = 50;

    public double TimestepScaling { get; init; } = 10.0;

    /// <summary>The scheduler the config names; classes without their own implementation here run as Euler.</summary>
    public SchedulerKind Kind => ClassName switch
    {
        "EulerAncestralDiscreteScheduler" => SchedulerKind.EulerAncestral,
        "DDIMScheduler" => SchedulerKind.Ddim,
        "LCMScheduler" => SchedulerKind.Lcm,
        _ => SchedulerKind.Euler,
    };

    public static SchedulerConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            return new SchedulerConfig();
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var r = doc.RootElement;
            var d = new SchedulerConfig();
            return new SchedulerConfig
            {
                ClassName = Str(r, "_class_name") ?? d.ClassName,
                TrainTimesteps = Int(r, "num_train_timesteps") ?? d.TrainTimesteps,
                BetaStart = Num(r, "beta_start") ?? d.BetaStart,
                BetaEnd = Num(r, "beta_end") ?? d.BetaEnd,
                BetaSchedule = Str(r, "beta_schedule") ?? d.BetaSchedule,
                PredictionType = Str(r, "prediction_type") ?? d.PredictionType,
                TimestepSpacing = Str(r, "timestep_spacing") ?? d.TimestepSpacing,
                StepsOffset = Int(r, "steps_offset") ?? d.StepsOffset,
                SetAlphaToOne = r.TryGetProperty("set_alpha_to_one", out var a) && a.ValueKind is JsonValueKind.True or JsonValueKind.False ? a.GetBoolean() : d.SetAlphaToOne,
                OriginalInferenceSteps = Int(r, "original_inference_steps") ?? d.OriginalInferenceSteps,
                TimestepScaling = Num(r, "timestep_scaling") ?? d.TimestepScaling,
            };
        }
        catch (JsonException e)
        {
            throw new ModelLoadException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;

    private static double? Num(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}
