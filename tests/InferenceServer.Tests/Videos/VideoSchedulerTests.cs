using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.Engine.Videos;
using InferenceServer.ModelForge.Video;

namespace InferenceServer.Tests.Videos;

/// <summary>
/// The flow-matching samplers and Wan's shape rules against diffusers' formulas. The UniPC figures come from
/// tools/unipc-reference/unipc_reference.py, a separate plain-Python reading of diffusers' scheduler.
/// </summary>
public sealed class VideoSchedulerTests
{
    private static readonly float[] Start = [0.5f, -1.2f, 2.0f];

    [Fact]
    public void EulerTimestepsAreDiffusersDoublyShiftedLinspaceAndEndAtSigmaZero()
    {
        // FlowMatchEulerDiscreteScheduler(shift=3).set_timesteps(4): linspace(N·σmax, N·shift(1/N), 4)/N, shifted again.
        var schedule = new FlowMatchEulerScheduler(4, 3.0, 1000);
        double[] expected = [1000.0, 857.6923076923075, 602.1505376344084, 8.928571428571713];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], schedule.Timesteps[i], 3);
        }

        Assert.Equal(0, schedule.Sigmas[^1]);
        var latents = new float[] { 1f, -2f };
        schedule.Step([2f, 2f], 0, latents);
        Assert.Equal(1f + (2f * (float)(schedule.Sigmas[1] - 1.0)), latents[0], 6);
    }

    [Fact]
    public void UniPCSigmasAreShiftedLinspaceNudgedBelowOneWithTruncatedTimesteps()
    {
        var s = new UniPCFlowScheduler(5, 3.0, 1000);
        double[] sigmas = [0.9999989867210388, 0.9231656789779663, 0.8184296488761902, 0.6672218441963196, 0.4297945201396942, 0.0];
        Assert.Equal(sigmas, s.Sigmas);
        Assert.Equal([999.0, 923, 818, 667, 429], s.Timesteps);
    }

    [Theory]
    [InlineData(1, new[] { -0.650749325f, -0.987243069f, -0.883820714f })]
    [InlineData(2, new[] { 0.212744838f, -1.14689067f, 1.28012785f, -0.359874888f, -0.869087682f, -0.292265717f })]
    [InlineData(5, new[]
    {
        0.411584033f, -1.18365316f, 1.77842629f, 0.310812369f, -1.15450668f, 1.4927674f, 0.197478926f, -1.10104945f, 1.1549293f,
        0.0684411705f, -1.00278706f, 0.844181685f, -0.116467782f, -0.816745116f, 0.406680061f,
    })]
    public void UniPCPredictorAndCorrectorFollowTheReferenceOnAToyVelocityField(int steps, float[] expectedAfterEachStep)
    {
        var s = new UniPCFlowScheduler(steps, 3.0, 1000);
        var x = (float[])Start.Clone();
        var v = new float[x.Length];
        for (int step = 0; step < steps; step++)
        {
            for (int i = 0; i < x.Length; i++)
            {
                v[i] = (0.9f * x[i]) - (0.3f * MathF.Sin(3 * x[i])) + (float)s.Sigmas[step];
            }

            s.Step(v, step, x);
            for (int i = 0; i < x.Length; i++)
            {
                Assert.Equal(expectedAfterEachStep[(step * x.Length) + i], x[i], 4e-5f);
            }
        }
    }

    [Fact]
    public void UniPCFirstStepIsEulerAndTheLastLandsOnTheDataPrediction()
    {
        // Order 1 with data prediction: σt/σs·x − αt(e^−h − 1)(x − σs·v) = x + (σt − σs)·v; at σ = 0 it is x − σs·v.
        var s = new UniPCFlowScheduler(3, 3.0, 1000);
        var x = (float[])Start.Clone();
        float[] v = [0.7f, -0.4f, 1.1f];
        s.Step(v, 0, x);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(Start[i] + ((float)(s.Sigmas[1] - s.Sigmas[0]) * v[i]), x[i], 5e-6f);
        }
    }

    [Fact]
    public void UniPCIsExactOnAStraightFlowAndEndsOnItsData()
    {
        // x(σ) = (1 − σ)·x0 + σ·ε has v = ε − x0 everywhere: every data prediction is x0, so each update stays on the line.
        float[] x0 = [0.25f, -0.75f, 1.5f];
        float[] noise = [1.0f, 0.5f, -2.0f];
        var s = new UniPCFlowScheduler(6, 3.0, 1000);
        var x = new float[3];
        for (int i = 0; i < 3; i++)
        {
            x[i] = ((1 - (float)s.Sigmas[0]) * x0[i]) + ((float)s.Sigmas[0] * noise[i]);
        }

        var v = new float[3];
        for (int step = 0; step < 6; step++)
        {
            for (int i = 0; i < 3; i++)
            {
                v[i] = noise[i] - x0[i];
            }

            s.Step(v, step, x);
            float sigma = (float)s.Sigmas[step + 1];
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(((1 - sigma) * x0[i]) + (sigma * noise[i]), x[i], 1e-5f);
            }
        }
    }

    [Fact]
    public void SchedulerConfigPicksTheSamplerByClassAndNamesWhatItCannotRun()
    {
        var dir = Directory.CreateTempSubdirectory("sched").FullName;
        var path = Path.Combine(dir, "scheduler_config.json");
        File.WriteAllText(path, """{"_class_name": "UniPCMultistepScheduler", "use_flow_sigmas": true, "flow_shift": 5.0, "prediction_type": "flow_prediction", "solver_order": 2}""");
        var uni = VideoSchedulerConfig.Load(path);
        Assert.IsType<UniPCFlowScheduler>(uni.CreateScheduler(4));
        Assert.Equal(5.0, uni.Shift);

        File.WriteAllText(path, """{"_class_name": "FlowMatchEulerDiscreteScheduler", "shift": 3.0}""");
        Assert.IsType<FlowMatchEulerScheduler>(VideoSchedulerConfig.Load(path).CreateScheduler(4));

        File.WriteAllText(path, """{"_class_name": "UniPCMultistepScheduler", "use_flow_sigmas": false}""");
        Assert.Contains("use_flow_sigmas", Assert.Throws<ModelLoadException>(() => VideoSchedulerConfig.Load(path)).Message);
        File.WriteAllText(path, """{"_class_name": "DDIMScheduler"}""");
        Assert.Contains("DDIMScheduler", Assert.Throws<ModelLoadException>(() => VideoSchedulerConfig.Load(path)).Message);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void AForgeFolderRunsTheSamplerItsConfigNames()
    {
        var root = Directory.CreateTempSubdirectory("sampler-folders").FullName;
        ForgeVideoWriter.Write(Path.Combine(root, "unipc"));
        ForgeVideoWriter.Write(Path.Combine(root, "euler"), euler: true);
        var sessions = new SessionFactory(new ExecutionProfileOptions());
        using var unipc = VideoPipeline.Load(Path.Combine(root, "unipc"), sessions);
        using var euler = VideoPipeline.Load(Path.Combine(root, "euler"), sessions);
        Assert.Equal(VideoSchedulerConfig.UniPCClass, unipc.Scheduler.ClassName);
        Assert.Equal(VideoSchedulerConfig.EulerClass, euler.Scheduler.ClassName);
        var request = new VideoGenerationRequest { Prompt = "rain", Width = 32, Height = 32, Frames = 5, Steps = 4, GuidanceScale = 1f, Seed = 4 };
        var a = unipc.Generate(request, null, CancellationToken.None).Frames;
        var b = euler.Generate(request, null, CancellationToken.None).Frames;
        Assert.NotEqual(a, b);
        Directory.Delete(root, true);
    }

    [Theory]
    [InlineData(16, 17)]
    [InlineData(64, 65)]
    [InlineData(81, 81)]
    [InlineData(1, 1)]
    public void FramesToGenerateIsTheSmallest4kPlus1ThatHoldsTheRequest(int requested, int generated) =>
        Assert.Equal(generated, VideoFrameRules.FramesToGenerate(requested));

    [Fact]
    public void BrokenShapesAreNamed()
    {
        Assert.Contains("4k+1", VideoFrameRules.Check(128, 128, 16));
        Assert.Contains("multiples of 16", VideoFrameRules.Check(130, 128, 17));
        Assert.Null(VideoFrameRules.Check(832, 480, 81));
    }
}
