namespace InferenceServer.Engine.Text.Templates;

/// <summary>
/// The template itself refused the input by calling <c>raise_exception(msg)</c> (for example "Conversation roles must
/// alternate"). The message is exactly the template's message, so it can be shown to the API caller.
/// </summary>
public sealed class TemplateRaisedException : TemplateException
{
    public TemplateRaisedException(string message)
        : base(message)
    {
    }
}
