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
}
