namespace InferenceServer.Engine.Text.Templates;

/// <summary>The <c>loop</c> variable inside a for loop.</summary>
internal sealed class LoopInfo(List<object?> items, int index)
{
    public object? Get(string name) => name switch
    {
        "index" => (long)index + 1,
        "index0" => (long)index,
        "revindex" => (long)(items.Count - index),
        "revindex0" => (long)(items.Count - index - 1),
        "first" => index == 0,
        "last" => index == items.Count - 1,
        "length" => (long)items.Count,
        "previtem" => index > 0 ? items[index - 1] : Undefined.Instance,
        "nextitem" => index < items.Count - 1 ? items[index + 1] : Undefined.Instance,
        "depth" => 1L,
        "depth0" => 0L,
        _ => Undefined.Instance,
    };

    public object? Cycle(List<object?> args) => args.Count == 0 ? Undefined.Instance : args[index % args.Count];
}
