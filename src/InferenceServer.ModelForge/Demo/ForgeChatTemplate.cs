namespace InferenceServer.ModelForge.Demo;

/// <summary>
/// The forge models' chat template: DeepSeek's prompt format (V3.1 style), where the generation prompt ends in
/// <c>&lt;think&gt;</c> when thinking and in <c>&lt;/think&gt;</c> when not. Tools are described in the system prompt
/// and assistant tool calls written with DeepSeek's markers, as V3.1's template does. Earlier reasoning is kept only
/// when the request carries tools (DeepSeek's current multi-round rule); a last assistant message with
/// <c>prefix</c> is left open for the model to continue.
/// </summary>
public static class ForgeChatTemplate
{
    public const string Text =
        "{%- set ns = namespace(system_prompt='') -%}" +
        "{%- for message in messages -%}{%- if message['role'] == 'system' -%}" +
        "{%- set ns.system_prompt = ns.system_prompt + message['content'] -%}{%- endif -%}{%- endfor -%}" +
        "{%- if tools -%}" +
        "{%- set ns.system_prompt = ns.system_prompt + '\\n\\n## Tools\\nYou have access to the following tools:\\n' -%}" +
        "{%- for tool in tools -%}" +
        "{%- set ns.system_prompt = ns.system_prompt + '\\n### ' + tool['function']['name'] + '\\nDescription: ' + (tool['function']['description'] or '') + '\\n\\nParameters: ' + (tool['function']['parameters'] | tojson) + '\\n' -%}" +
        "{%- endfor -%}" +
        "{%- set ns.system_prompt = ns.system_prompt + '\\nIMPORTANT: ALWAYS adhere to this exact format for tool use:\\n<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>tool_call_name<｜tool▁sep｜>tool_call_arguments<｜tool▁call▁end｜><｜tool▁calls▁end｜>\\n' -%}" +
        "{%- endif -%}" +
        "{{ bos_token }}{{ ns.system_prompt }}" +
        "{%- for message in messages -%}" +
        "{%- if message['role'] == 'user' -%}{{ '<｜User｜>' + message['content'] }}" +
        "{%- elif message['role'] == 'assistant' -%}" +
        "{%- set content = message['content'] or '' -%}" +
        "{%- if '</think>' in content -%}{%- set content = content.split('</think>')[-1] -%}{%- endif -%}" +
        "{{ '<｜Assistant｜>' }}" +
        "{%- if message['reasoning_content'] and (tools or message['prefix']) -%}{{ '<think>' + message['reasoning_content'] }}" +
        "{%- if not message['prefix'] or content -%}{{ '</think>' }}{%- endif -%}" +
        "{%- else -%}{{ '</think>' }}{%- endif -%}" +
        "{{ content }}" +
        "{%- if message['tool_calls'] -%}{{ '<｜tool▁calls▁begin｜>' }}" +
        "{%- for call in message['tool_calls'] -%}" +
        "{{ '<｜tool▁call▁begin｜>' + call['function']['name'] + '<｜tool▁sep｜>' + call['function']['arguments'] + '<｜tool▁call▁end｜>' }}" +
        "{%- endfor -%}{{ '<｜tool▁calls▁end｜>' }}{%- endif -%}" +
        "{%- if not message['prefix'] -%}{{ '<｜end▁of▁sentence｜>' }}{%- endif -%}" +
        "{%- elif message['role'] == 'tool' -%}{{ '<｜tool▁output▁begin｜>' + message['content'] + '<｜tool▁output▁end｜>' }}" +
        "{%- elif message['role'] != 'system' -%}{{ raise_exception('Unknown role: ' + message['role']) }}" +
        "{%- endif -%}" +
        "{%- endfor -%}" +
        "{%- if add_generation_prompt and not messages[-1]['prefix'] -%}{{ '<｜Assistant｜>' }}{%- if thinking -%}{{ '<think>' }}{%- else -%}{{ '</think>' }}{%- endif -%}{%- endif -%}";
}
