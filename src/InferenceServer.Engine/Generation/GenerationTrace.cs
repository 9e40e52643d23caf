using System.Diagnostics;

namespace InferenceServer.Engine.Generation;

/// <summary>
/// The spans of one request in the engine: <c>inference.generate</c> from submit until its last event, with a child
/// <c>inference.queue_wait</c> until the scheduler admits it. Both are parented to the caller's activity (the HTTP
/// request) and ended from the scheduler's side; nothing is allocated unless a listener samples them.
/// </summary>
internal static class GenerationTrace
{
    public static void Watch(string model, GenerationRequest request, SequenceHandle handle)
    {
        if (!EngineActivities.Source.HasListeners())
        {
            return;
        }

        var caller = Activity.Current;
        var generate = EngineActivities.Source.StartActivity("inference.generate");
        var queue = EngineActivities.Source.StartActivity("inference.queue_wait");
        Activity.Current = caller;
        generate?.SetTag("gen_ai.request.model", model);
        generate?.SetTag("gen_ai.usage.input_tokens", request.PromptTokens.Count);
        generate?.SetTag("gen_ai.request.max_tokens", request.MaxTokens);
        if (queue is not null)
        {
            handle.Started.ContinueWith(static (_, state) => ((Activity)state!).Stop(), queue, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        if (generate is not null)
        {
            handle.Completion.ContinueWith(static (_, state) => ((Activity)state!).Stop(), generate, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
