namespace InferenceServer.Engine.Images;

/// <summary>The denoising schedulers the pipeline runs (request field <c>scheduler</c>, or the folder's scheduler config).</summary>
public enum SchedulerKind
{
    Euler,
    EulerAncestral,
    Ddim,
    Lcm,
}
