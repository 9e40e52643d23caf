using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Text;
using InferenceServer.Tests.ModelForge;

namespace InferenceServer.Tests.Janus;

/// <summary>The chat template the README gives for a Janus-Pro export without one renders Janus's "deepseek" SFT format.</summary>
public sealed class JanusChatTemplateTests
{
    /// <summary>The template as the README prints it.</summary>
    public const string Template =
        "{{ bos_token }}{% for m in messages %}{% if m.role == 'system' %}{{ m.content }}\n\n" +
        "{% elif m.role == 'user' %}<|User|>: {{ m.content }}\n\n" +
        "{% else %}<|Assistant|>: {{ m.content }}<｜end▁of▁sentence｜>{% endif %}{% endfor %}" +
        "{% if add_generation_prompt %}<|Assistant|>:{% endif %}";

    [Fact]
    public void TheReadmeTemplateRendersTheSftFormat()
    {
        using var temp = new TempModelFolder();
        File.WriteAllText(Path.Combine(temp.Path, "chat_template.jinja"), Template);
        File.WriteAllText(Path.Combine(temp.Path, "tokenizer_config.json"), """{"bos_token": "<｜begin▁of▁sentence｜>"}""");
        var template = ChatTemplate.Load(temp.Path);
        var prompt = template.Render([new ChatMessage("system", "Be brief."), new ChatMessage("user", "<|image_1|>\nWhat colour is this?")], thinking: false);
        Assert.Equal("<｜begin▁of▁sentence｜>Be brief.\n\n<|User|>: <|image_1|>\nWhat colour is this?\n\n<|Assistant|>:", prompt.Text);
    }
}
