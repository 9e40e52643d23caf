using InferenceServer.Engine.Text.Templates;

namespace InferenceServer.Tests.Text.Templates;

public sealed class JinjaTemplateTests
{
    private static readonly Dictionary<string, object?> Empty = [];

    [Theory]
    [InlineData("line one\n{% if x %}\n{{ x + }}\n{% endif %}", 3)]
    [InlineData("a\nb\n{% for x in %}{% endfor %}", 3)]
    [InlineData("{% if x %}\nno end", 1)]
    [InlineData("\n\n{% bogus %}", 3)]
    [InlineData("{{ 'unterminated }}", 1)]
    [InlineData("ok\n{{ x | no_such_filter }}", 2)]
    [InlineData("{% if x is no_such_test %}{% endif %}", 1)]
    public void Syntax_error_names_the_line(string source, int line)
    {
        var e = Assert.ThrowsAny<TemplateException>(() => JinjaTemplate.Parse(source));
        Assert.Contains($"line {line}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Raise_exception_carries_the_template_message()
    {
        var template = JinjaTemplate.Parse(
            "{% for m in messages %}{% if m.role == 'tool' %}{{ raise_exception('Role ' ~ m.role ~ ' is not supported') }}{% endif %}{% endfor %}");
        var context = new Dictionary<string, object?>
        {
            ["messages"] = new List<object?> { new Dictionary<string, object?> { ["role"] = "tool" } },
        };

        var e = Assert.Throws<TemplateRaisedException>(() => template.Render(context));
        Assert.Equal("Role tool is not supported", e.Message);
    }

    [Fact]
    public void Accepts_plain_dotnet_collections_and_ints()
    {
        var template = JinjaTemplate.Parse("{{ n + 1 }} {{ items[0] }} {{ map['k'] }} {{ items | length }} {{ ro | tojson }}");
        var context = new Dictionary<string, object?>
        {
            ["n"] = 41,
            ["items"] = new List<object?> { "a", 2 },
            ["map"] = new Dictionary<string, object?> { ["k"] = true },
            ["ro"] = new object?[] { 1, 2.5, null },
        };

        Assert.Equal("42 a True 2 [1, 2.5, null]", template.Render(context));
    }

    [Fact]
    public void Strftime_now_uses_the_given_clock()
    {
        var template = JinjaTemplate.Parse("{{ strftime_now('%d %b %Y') }}");

        Assert.Equal("07 Mar 2025", template.Render(Empty, FixedClock.Instance));
    }

    [Fact]
    public void Set_inside_a_loop_does_not_leak_but_namespace_does()
    {
        var template = JinjaTemplate.Parse(
            "{% set x = 'outer' %}{% set ns = namespace(seen=0) %}{% for i in range(3) %}{% set x = 'inner' %}"
            + "{% set ns.seen = ns.seen + 1 %}{% endfor %}{{ x }} {{ ns.seen }}");

        Assert.Equal("outer 3", template.Render(Empty));
    }

    [Fact]
    public void One_parsed_template_renders_concurrently()
    {
        var template = JinjaTemplate.Parse(
            "{% for m in messages %}<{{ m.role }}>{{ m.content | trim }}{{ '\n' if not loop.last }}{% endfor %}");
        var messages = new List<object?>();
        for (var i = 0; i < 40; i++)
        {
            messages.Add(new Dictionary<string, object?> { ["role"] = i % 2 == 0 ? "user" : "assistant", ["content"] = $" turn {i} " });
        }

        var context = new Dictionary<string, object?> { ["messages"] = messages };
        var expected = template.Render(context);
        var results = new string[64];
        Parallel.For(0, results.Length, i => results[i] = template.Render(context));

        Assert.All(results, r => Assert.Equal(expected, r));
        Assert.StartsWith("<user>turn 0\n<assistant>turn 1", expected, StringComparison.Ordinal);
    }
}
