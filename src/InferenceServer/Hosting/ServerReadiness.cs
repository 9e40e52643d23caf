namespace InferenceServer.Hosting;

/// <summary>Ready once every model is loaded; not ready again once shutdown begins.</summary>
public sealed class ServerReadiness
{
    private volatile int _state;

    public bool IsReady => _state == 1;

    public bool IsDraining => _state == 2;

    public void MarkReady() => _state = 1;

    public void MarkDraining() => _state = 2;
}
