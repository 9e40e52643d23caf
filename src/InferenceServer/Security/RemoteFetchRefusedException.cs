namespace InferenceServer.Security;

/// <summary>A server-side fetch the <see cref="RemoteFetchPolicy"/> refused; mapped to 400 naming the parameter.</summary>
public sealed class RemoteFetchRefusedException : Exception
{
    public RemoteFetchRefusedException(string message)
        : base(message)
    {
    }
}
