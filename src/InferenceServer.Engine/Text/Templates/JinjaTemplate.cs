namespace InferenceServer.Engine.Text.Templates;

/// <summary>
/// A Hugging Face chat template (Jinja2), parsed once and rendered many times, with the settings transformers uses:
/// trim_blocks, lstrip_blocks, loop controls, Python-style values and json.dumps-style <c>tojson</c>. Immutable and safe
/// to render from several threads at once.
/// </summary>
public sealed class JinjaTemplate
{
    private readonly Node[] _nodes;

    private JinjaTemplate(Node[] nodes)
    {
        _nodes = nodes;
    }

    /// <summary>Parses template source; throws <see cref="TemplateException"/> naming the line of a syntax error.</summary>
    public static JinjaTemplate Parse(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new JinjaTemplate(Parser.ParseTemplate(source));
    }

    /// <summary>Renders with the given variables (messages, tools, add_generation_prompt, bos_token, ...).</summary>
    public string Render(IReadOnlyDictionary<string, object?> context) => Render(context, TimeProvider.System);

    /// <summary>Renders with a clock for <c>strftime_now</c> (UTC), so tests can pin the date.</summary>
    public string Render(IReadOnlyDictionary<string, object?> context, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(timeProvider);
        return new Renderer(context, timeProvider).Render(_nodes);
    }
}
