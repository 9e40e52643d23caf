using System.Text.Json;
using InferenceServer.Engine.Text.Templates;

namespace InferenceServer.Tests.Text.Templates;

/// <summary>
/// One Jinja feature per case (whitespace control, loop variables, namespace, tojson, undefined, slicing, ...), each
/// checked against Python Jinja2's output in snippets.expected.json (written by generate.py from snippets.py).
/// </summary>
public sealed class JinjaSnippetTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Templates");

    private static readonly Lazy<Dictionary<string, JsonElement>> Snippets = new(() =>
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "snippets.expected.json")));
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var entry in json.RootElement.EnumerateArray())
        {
            result[entry.GetProperty("name").GetString()!] = entry.Clone();
        }

        return result;
    });

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in Snippets.Value.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Snippet_renders_like_python_jinja2(string name)
    {
        var entry = Snippets.Value[name];
        var template = JinjaTemplate.Parse(entry.GetProperty("template").GetString()!);
        var context = (IReadOnlyDictionary<string, object?>)JinjaValues.FromJson(entry.GetProperty("context"))!;

        if (entry.TryGetProperty("expected", out var expected))
        {
            Assert.Equal(expected.GetString(), template.Render(context, FixedClock.Instance));
        }
        else if (entry.TryGetProperty("raised", out var raised))
        {
            var e = Assert.Throws<TemplateRaisedException>(() => template.Render(context, FixedClock.Instance));
            Assert.Equal(raised.GetString(), e.Message);
        }
        else
        {
            var e = Assert.ThrowsAny<TemplateException>(() => template.Render(context, FixedClock.Instance));
            Assert.IsNotType<TemplateRaisedException>(e);
        }
    }
}
