using System.Text.Json;
using InferenceServer.Engine.Text.Templates;

namespace InferenceServer.Tests.Text.Templates;

/// <summary>Real model chat templates render byte for byte as Python Jinja2 with transformers' settings (see generate.py).</summary>
public sealed class ChatTemplateFixtureTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Templates");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var input in Directory.GetFiles(Folder, "*.input.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(input)[..^".input.json".Length]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Renders_like_python_jinja2(string fixture)
    {
        var templateName = fixture[..fixture.IndexOf("__", StringComparison.Ordinal)];
        var template = JinjaTemplate.Parse(File.ReadAllText(Path.Combine(Folder, templateName + ".jinja")));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, fixture + ".input.json")));
        var context = (IReadOnlyDictionary<string, object?>)JinjaValues.FromJson(json.RootElement)!;
        var stem = Path.Combine(Folder, fixture);

        if (File.Exists(stem + ".expected.txt"))
        {
            Assert.Equal(File.ReadAllText(stem + ".expected.txt"), template.Render(context, FixedClock.Instance));
        }
        else if (File.Exists(stem + ".raised.txt"))
        {
            var e = Assert.Throws<TemplateRaisedException>(() => template.Render(context, FixedClock.Instance));
            Assert.Equal(File.ReadAllText(stem + ".raised.txt"), e.Message);
        }
        else
        {
            Assert.True(File.Exists(stem + ".error.txt"), "fixture has no expected output");
            Assert.ThrowsAny<TemplateException>(() => template.Render(context, FixedClock.Instance));
        }
    }

    [Fact]
    public void Fixtures_cover_every_template()
    {
        Assert.True(Cases().Count >= 20);
    }
}
