namespace InferenceServer.ModelForge.Demo;

/// <summary>
/// The forge models' chat template: DeepSeek's prompt format (V3.1 style), where the generation prompt ends in
/// <c>&lt;think&gt;</c> when thinking and in <c>&lt;/think&gt;</c> when not. Earlier reasoning is dropped from history.
/// </summary>
public static class ForgeChatTemplate
{
    public const string Text =
        "{%- set ns = namespace(system_prompt='') -%}" +
        "{%- for message in messages -%}{%- if message['role'] == 'system' -%}" +
        "{%- set ns.system_prompt = ns.system_prompt + message['content'] -%}{%- endif -%}{%- endfor -%}" +
        "{{ bos_token }}{{ ns.system_prompt }}" +
        "{%- for message in messages -%}" +
        "{%- if message['role'] == 'user' -%}{{ '<｜User｜>' + message['content'] }}" +
        "{%- elif message['role'] == 'assistant' -%}" +
        "{%- set content = message['content'] or '' -%}" +
        "{%- if '</think>' in content -%}{%- set content = content.split('</think>')[-1] -%}{%- endif -%}" +
        "{{ '<｜Assistant｜></think>' + content + '<｜end▁of▁sentence｜>' }}" +
        "{%- elif message['role'] == 'tool' -%}{{ '<｜tool▁output▁begin｜>' + message['content'] + '<｜tool▁output▁end｜>' }}" +
        "{%- elif message['role'] != 'system' -%}{{ raise_exception('Unknown role: ' + message['role']) }}" +
        "{%- endif -%}" +
        "{%- endfor -%}" +
        "{%- if add_generation_prompt -%}{{ '<｜Assistant｜>' }}{%- if thinking -%}{{ '<think>' }}{%- else -%}{{ '</think>' }}{%- endif -%}{%- endif -%}";
}
