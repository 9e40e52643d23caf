using InferenceServer.Engine.Videos;

namespace InferenceServer.Tests.Videos;

/// <summary>The flow-matching schedule and Wan's shape rules, against diffusers' formulas.</summary>
public sealed class FlowMatchScheduleTests
{
    [Fact]
    public void TimestepsAreDiffusersShiftedLinspaceAndEndAtSigmaZero()
    {
        // diffusers FlowMatchEulerDiscreteScheduler.set_timesteps(4) with shift 3: linspace(1, 1/1000, 4), shifted, ×1000.
        var schedule = new FlowMatchSchedule(4, 3.0, 1000);
        double[] expected = [1000.0, 857.3264781491004, 600.7194244604316, 2.994011976047907];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], schedule.Timesteps[i], 9);
        }

        Assert.Equal(0, schedule.Sigmas[^1]);
        var latents = new float[] { 1f, -2f };
        schedule.Step([2f, 2f], 0, latents);
        Assert.Equal(1f + (2f * (float)(schedule.Sigmas[1] - 1.0)), latents[0], 6);
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
