namespace InferenceServer.Hosting;

/// <summary>The action answers <c>stream: true</c> with server-sent events whose <c>data:</c> payloads have this type.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ProducesEventStreamAttribute : Attribute
{
    public ProducesEventStreamAttribute(Type eventType) => EventType = eventType;

    public Type EventType { get; }
}
