#!/usr/bin/env python3
"""Renders each *.jinja chat template here with Hugging Face transformers' settings and writes fixtures.

Run with Debian's Jinja2 (apt-get install python3-jinja2): /usr/bin/python3 generate.py
For every template x case it writes <template>__<case>.input.json (the full render context) and either
<template>__<case>.expected.txt (the rendered prompt), <template>__<case>.raised.txt (the message of the template's
own raise_exception) or <template>__<case>.error.txt (any other failure; C# only checks that rendering fails).
The C# tests replay these without Python. strftime_now is pinned to FIXED_NOW so both sides agree.
"""
import glob
import json
import os
from datetime import datetime, timezone

import jinja2.ext
from jinja2.sandbox import ImmutableSandboxedEnvironment

FIXED_NOW = datetime(2025, 3, 7, 12, 0, 0, tzinfo=timezone.utc)
HERE = os.path.dirname(os.path.abspath(__file__))

TOKENS = {
    "deepseek-r1-distill-qwen": ("<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>"),
    "deepseek-v3.1": ("<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>"),
    "llama-3.2-instruct": ("<|begin_of_text|>", "<|eot_id|>"),
    "phi-3.5-mini": ("<s>", "<|endoftext|>"),
    "qwen2.5-instruct": ("", "<|im_end|>"),
}

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the current weather in a city — «quoted» ünïcode",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string", "description": "City name"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                "days": {"type": "integer", "minimum": 1, "default": 1.5},
            },
            "required": ["city"],
        },
    },
}


def tool_call(args_as_string, city):
    args = {"city": city, "unit": "celsius"}
    return {
        "id": "call_" + city.lower(),
        "type": "function",
        "function": {"name": "get_weather", "arguments": json.dumps(args) if args_as_string else args},
    }


def cases(args_as_string):
    system = {"role": "system", "content": "You are a helpful assistant.  "}
    user = {"role": "user", "content": "Hello! What's 2+2?\nAnswer briefly."}
    return {
        "system_user": {"messages": [system, user], "add_generation_prompt": True},
        "user_only_no_prompt": {"messages": [user], "add_generation_prompt": False},
        "multi_turn": {
            "messages": [
                system,
                user,
                {"role": "assistant", "content": "4"},
                {"role": "user", "content": "And 3+3? Use \"quotes\" and {braces}."},
            ],
            "add_generation_prompt": True,
        },
        "reasoning": {
            "messages": [
                user,
                {
                    "role": "assistant",
                    "reasoning_content": "Simple arithmetic.",
                    "content": "<think>\nSimple arithmetic.\n</think>\n\nIt is 4.",
                },
                {"role": "user", "content": "Thanks"},
            ],
            "add_generation_prompt": True,
        },
        "tools_prompt": {
            "messages": [system, {"role": "user", "content": "Weather in Paris?"}],
            "tools": [WEATHER_TOOL],
            "add_generation_prompt": True,
        },
        "tool_calls": {
            "messages": [
                {"role": "user", "content": "Weather in Paris?"},
                {"role": "assistant", "content": None, "tool_calls": [tool_call(args_as_string, "Paris")]},
                {"role": "tool", "tool_call_id": "call_paris", "content": "{\"temp\": 21}"},
                {"role": "assistant", "content": "It is 21 °C in Paris."},
                {"role": "user", "content": "And Rome and Oslo?"},
                {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [tool_call(args_as_string, "Rome"), tool_call(args_as_string, "Oslo")],
                },
                {"role": "tool", "tool_call_id": "call_rome", "content": "{\"temp\": 25}"},
                {"role": "tool", "tool_call_id": "call_oslo", "content": "{\"temp\": 3}"},
            ],
            "tools": [WEATHER_TOOL],
            "add_generation_prompt": True,
        },
        "single_tool_call": {
            "messages": [
                {"role": "system", "content": "Use tools."},
                {"role": "user", "content": "Weather in Paris?"},
                {"role": "assistant", "content": None, "tool_calls": [tool_call(args_as_string, "Paris")]},
                {"role": "tool", "tool_call_id": "call_paris", "content": "{\"temp\": 21}"},
            ],
            "tools": [WEATHER_TOOL],
            "add_generation_prompt": True,
        },
    }


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def make_env():
    env = ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True, extensions=[jinja2.ext.loopcontrols]
    )
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = lambda fmt: FIXED_NOW.strftime(fmt)
    return env


def main():
    env = make_env()
    for path in sorted(glob.glob(os.path.join(HERE, "*.jinja"))):
        name = os.path.basename(path)[: -len(".jinja")]
        with open(path, encoding="utf-8") as f:
            template = env.from_string(f.read())
        bos, eos = TOKENS[name]
        # Llama and Qwen templates take tool-call arguments as objects (tojson); DeepSeek concatenates a JSON string.
        args_as_string = name.startswith("deepseek")
        for case, context in cases(args_as_string).items():
            context = dict(context, bos_token=bos, eos_token=eos)
            stem = os.path.join(HERE, f"{name}__{case}")
            with open(stem + ".input.json", "w", encoding="utf-8") as f:
                json.dump(context, f, ensure_ascii=False, indent=2)
                f.write("\n")
            for suffix in (".expected.txt", ".raised.txt", ".error.txt"):
                if os.path.exists(stem + suffix):
                    os.remove(stem + suffix)
            try:
                text, suffix = template.render(**context), ".expected.txt"
            except jinja2.exceptions.TemplateError as e:
                text, suffix = e.message, ".raised.txt"
            except Exception as e:  # noqa: BLE001 - any other failure must also be a failure in C#
                text, suffix = f"{type(e).__name__}: {e}", ".error.txt"
            with open(stem + suffix, "w", encoding="utf-8", newline="") as f:
                f.write(text)


def snippets():
    from snippets import SNIPPETS

    env = make_env()
    results = []
    for name, (source, context) in SNIPPETS.items():
        entry = {"name": name, "template": source, "context": context}
        try:
            entry["expected"] = env.from_string(source).render(**context)
        except jinja2.exceptions.TemplateError as e:
            entry["raised" if type(e) is jinja2.exceptions.TemplateError else "error"] = str(e)
        except Exception as e:  # noqa: BLE001
            entry["error"] = f"{type(e).__name__}: {e}"
        results.append(entry)
    with open(os.path.join(HERE, "snippets.expected.json"), "w", encoding="utf-8") as f:
        json.dump(results, f, ensure_ascii=False, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
    snippets()
