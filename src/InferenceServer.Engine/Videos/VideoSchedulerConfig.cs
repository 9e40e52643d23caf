using System.Text.Json;
using InferenceServer.Engine.Models;

namespace InferenceServer.Engine.Videos;

/// <summary>
/// A Wan <c>scheduler/scheduler_config.json</c>: <c>_class_name</c> picks the sampler — UniPCMultistepScheduler
/// (Wan's own: <c>flow_shift</c>, <c>solver_order</c>, <c>solver_type</c>, <c>lower_order_final</c>,
/// <c>disable_corrector</c>, <c>final_sigmas_type</c>) or FlowMatchEulerDiscreteScheduler (<c>shift</c>). Settings this
/// server does not run (dynamic shifting, non-flow sigmas, another prediction type) stop the load with their name.
/// </summary>
public sealed record VideoSchedulerConfig
{
    public const string EulerClass = "FlowMatchEulerDiscreteScheduler";

    public const string UniPCClass = "UniPCMultistepScheduler";

    public string ClassName { get; init; } = EulerClass;

    public int TrainTimesteps { get; init; } = 1000;

    /// <summary>UniPC's <c>flow_shift</c>, or FlowMatchEuler's <c>shift</c>.</summary>
    public double Shift { get; init; } = 1.0;

    public int SolverOrder { get; init; } = 2;

    public bool Bh2 { get; init; } = true;

    public bool LowerOrderFinal { get; init; } = true;

    public IReadOnlySet<int> DisableCorrector { get; init; } = new HashSet<int>();

    public bool FinalSigmaZero { get; init; } = true;

    /// <summary>A fresh sampler for one run of <paramref name="steps"/> steps.</summary>
    public IVideoScheduler CreateScheduler(int steps) => ClassName == UniPCClass
        ? new UniPCFlowScheduler(steps, Shift, TrainTimesteps, SolverOrder, Bh2, LowerOrderFinal, DisableCorrector, FinalSigmaZero)
        : new FlowMatchEulerScheduler(steps, Shift, TrainTimesteps);

    public static VideoSchedulerConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ModelLoadException($"{path} is missing: a video pipeline needs its scheduler config (flow_shift).");
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return Parse(doc.RootElement, path);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new ModelLoadException($"{path} is not a readable scheduler config: {e.Message}", e);
        }
    }

    private static VideoSchedulerConfig Parse(JsonElement r, string path)
    {
        var d = new VideoSchedulerConfig();
        string name = String(r, "_class_name") ?? d.ClassName;
        int train = r.TryGetProperty("num_train_timesteps", out var n) && n.TryGetInt32(out var t) ? t : d.TrainTimesteps;
        if (Bool(r, "use_dynamic_shifting") == true)
        {
            throw Unsupported(path, "use_dynamic_shifting: true (it needs a resolution-dependent mu)");
        }

        if (name == EulerClass)
        {
            return d with { ClassName = name, TrainTimesteps = train, Shift = Number(r, "shift") ?? d.Shift };
        }

        if (name != UniPCClass)
        {
            throw new ModelLoadException($"{path} names the scheduler '{name}'; this server runs {UniPCClass} (flow sigmas) and {EulerClass}.");
        }

        if (Bool(r, "use_flow_sigmas") != true)
        {
            throw Unsupported(path, "a UniPC config without use_flow_sigmas: true");
        }

        if (String(r, "prediction_type") is { } prediction && prediction != "flow_prediction")
        {
            throw Unsupported(path, $"prediction_type '{prediction}' (Wan's is flow_prediction)");
        }

        if (Bool(r, "predict_x0") == false || Bool(r, "thresholding") == true || Bool(r, "use_karras_sigmas") == true
            || Bool(r, "use_exponential_sigmas") == true || Bool(r, "use_beta_sigmas") == true
            || (r.TryGetProperty("shift_terminal", out var st) && st.ValueKind != JsonValueKind.Null)
            || (r.TryGetProperty("solver_p", out var sp) && sp.ValueKind != JsonValueKind.Null))
        {
            throw Unsupported(path, "predict_x0: false, thresholding, karras/exponential/beta sigmas, shift_terminal or solver_p");
        }

        string solver = String(r, "solver_type") ?? "bh2";
        string final = String(r, "final_sigmas_type") ?? "zero";
        int order = r.TryGetProperty("solver_order", out var o) && o.TryGetInt32(out var so) ? so : d.SolverOrder;
        if (solver is not ("bh1" or "bh2" or "midpoint" or "heun" or "logrho") || final is not ("zero" or "sigma_min") || order is < 1 or > 3)
        {
            throw Unsupported(path, $"solver_type '{solver}', final_sigmas_type '{final}' or solver_order {order} (bh1/bh2, zero/sigma_min, 1–3)");
        }

        var disabled = r.TryGetProperty("disable_corrector", out var dc) && dc.ValueKind == JsonValueKind.Array
            ? dc.EnumerateArray().Select(v => v.GetInt32()).ToHashSet()
            : [];
        return new VideoSchedulerConfig
        {
            ClassName = name,
            TrainTimesteps = train,
            Shift = Number(r, "flow_shift") ?? d.Shift,
            SolverOrder = order,
            Bh2 = solver != "bh1", // diffusers maps midpoint/heun/logrho to bh2
            LowerOrderFinal = Bool(r, "lower_order_final") ?? true,
            DisableCorrector = disabled,
            FinalSigmaZero = final == "zero",
        };
    }

    private static ModelLoadException Unsupported(string path, string what) =>
        new($"{path} asks for {what}, which this server's video sampler does not run.");

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool? Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    private static double? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}
