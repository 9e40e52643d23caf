using InferenceServer.Engine.Models;
using InferenceServer.Errors;

namespace InferenceServer.Chat;

/// <summary>
/// The <c>n</c> of a chat or text completion: how many choices to generate from the one prompt (1 when absent),
/// at most <c>Limits:MaxChoices</c>.
/// </summary>
internal static class ChoiceCount
{
    public static int Read(int? n, int max) => n switch
    {
        null => 1,
        < 1 => throw ApiException.InvalidParameter("n", $"Invalid n value {n}: it must be at least 1."),
        _ when n > max => throw ApiException.InvalidParameter("n", $"Invalid n value {n}: this server generates at most {max} choices per request (Limits:MaxChoices)."),
        _ => n.Value,
    };

    /// <summary>Each choice counts as a request against the model's queue bound: more than it holds could never be queued.</summary>
    public static void CheckQueue(int choices, ServedModel served)
    {
        var queue = served.Model.Scheduling.MaxQueuedRequests;
        if (choices > queue)
        {
            throw ApiException.InvalidParameter("n", $"Invalid n value {choices}: model '{served.Name}' queues at most {queue} requests, and each choice counts as one.");
        }
    }
}
