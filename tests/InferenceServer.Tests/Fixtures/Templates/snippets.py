"""Small templates exercising one feature each; generate.py renders them into snippets.expected.json."""

SNIPPETS = {
    "whitespace_minus": ("a  {{- ' b ' -}}  c\n{%- if true -%}  d  {%- endif -%}  e", {}),
    "trim_blocks": ("{% if true %}\nx\n{% endif %}\ny\n", {}),
    "lstrip_blocks": ("<\n    {% if true %}\n    x\n    {% endif %}\n>", {}),
    "lstrip_inline_not_stripped": ("a  {% if true %}b{% endif %}  c", {}),
    "plus_disables_lstrip": ("    {%+ if true %}x{% endif %}", {}),
    "comment_trim": ("a\n  {# note #}\nb", {}),
    "raw": ("{% raw %}{{ not parsed }}{% endraw %}", {}),
    "var_no_trim": ("{{ 'a' }}\nb", {}),
    "loop_vars": ("{% for x in items %}{{ loop.index }}{{ loop.index0 }}{{ loop.first }}{{ loop.last }}"
                  "{{ loop.length }}{{ loop.revindex }}|{% endfor %}", {"items": ["a", "b", "c"]}),
    "loop_prev_next": ("{% for x in items %}{{ loop.previtem }}-{{ loop.nextitem }};{% endfor %}", {"items": [1, 2, 3]}),
    "loop_filter_else": ("{% for x in items if x > 1 %}{{ x }}{{ loop.length }}{% else %}none{% endfor %}"
                         "{% for x in [] %}{% else %}empty{% endfor %}", {"items": [1, 2, 3]}),
    "loop_break_continue": ("{% for x in range(10) %}{% if x == 2 %}{% continue %}{% endif %}"
                            "{% if x == 5 %}{% break %}{% endif %}{{ x }}{% endfor %}", {}),
    "loop_items": ("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", {"d": {"b": 1, "a": [1, 2]}}),
    "loop_scope": ("{% set x = 1 %}{% for i in [1, 2] %}{% set x = x + i %}{{ x }}{% endfor %}{{ x }}", {}),
    "namespace": ("{% set ns = namespace(a=1, b='x') %}{% for i in [1, 2, 3] %}{% set ns.a = ns.a + i %}{% endfor %}"
                  "{{ ns.a }}{{ ns.b }}", {}),
    "set_block": ("{% set x %}hello {{ name }}{% endset %}[{{ x }}]", {"name": "bob"}),
    "set_tuple": ("{% set a, b = 1, 2 %}{{ a }}{{ b }}", {}),
    "macro": ("{% macro greet(name, greeting='Hi') %}{{ greeting }} {{ name }}!{% endmacro %}"
              "{{ greet('A') }} {{ greet('B', greeting='Yo') }} {{ greet(name='C') }}", {}),
    "call_block": ("{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}"
                   "{% call wrap('b') %}bold{% endcall %}", {}),
    "filter_block": ("{% filter upper %}shout {{ 'it' }}{% endfilter %}", {}),
    "undefined": ("[{{ missing }}][{{ d.nope }}][{{ d['nope'] }}]{{ missing is defined }}{{ d.nope is undefined }}"
                  "{{ missing | default('dflt') }}{{ '' | default('e', true) }}{{ missing | length }}", {"d": {}}),
    "none_and_bool_render": ("{{ none }} {{ true }} {{ False }} {{ x }} {{ 1 == 1 }}", {"x": None}),
    "repr_render": ("{{ [1, 'a', none, true, 2.5] }} {{ {'k': 'v', 'n': [1]} }} {{ (1,) }} {{ ('a', 2) }} {{ [\"it's\"] }}", {}),
    "numbers": ("{{ 1 + 1 }} {{ 1 + 1.0 }} {{ 7 / 2 }} {{ 4 / 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} "
                "{{ 2 ** 10 }} {{ 1e20 }} {{ 0.0001 }} {{ 0.00001 }} {{ 1/3 }} {{ 10 ** 16 * 1.0 }} {{ -1.5 }}", {}),
    "strings": ("{{ 'a' + 'b' }} {{ 'ab' * 3 }} {{ 1 ~ 'x' ~ none }} {{ 'it\\'s \"q\" \\n' | tojson }} "
                "{{ 'Hello World'.lower() }} {{ 'hello world' | title }} {{ 'hELLO' | capitalize }}", {}),
    "string_methods": ("{{ '  x  '.strip() }}|{{ 'xxhixx'.strip('x') }}|{{ '  x '.lstrip() }}|{{ ' x  '.rstrip() }}|"
                       "{{ 'a b  c'.split() }}|{{ 'a,b,c'.split(',') }}|{{ 'a,b,c'.split(',', 1) }}|"
                       "{{ 'abc'.startswith('ab') }}{{ 'abc'.endswith('bc') }}{{ 'abc'.startswith(('x', 'a')) }}|"
                       "{{ 'aXbX'.replace('X', '-') }}|{{ 'abc'.find('c') }}|{{ '{} and {}'.format(1, 'b') }}|"
                       "{{ 'ABC'.upper() }}", {}),
    "slicing": ("{{ items[1:] }} {{ items[::-1] }} {{ items[-1] }} {{ items[:-1] }} {{ items[1:3] }} {{ 'hello'[1:3] }} "
                "{{ 'hello'[::-1] }} {{ items[::2] }} {{ items[10] is defined }}", {"items": [0, 1, 2, 3, 4]}),
    "tojson": ("{{ d | tojson }}\n{{ d | tojson(indent=2) }}\n{{ [] | tojson(indent=2) }}{{ {} | tojson }} "
               "{{ 'ünï' | tojson }} {{ 1.0 | tojson }} {{ none | tojson }} {{ d | tojson(sort_keys=true) }}",
               {"d": {"z": [1, 2.5, {"a": None}], "b": True, "s": "<tag>&'"}}),
    "comparisons": ("{{ 1 < 2 < 3 }} {{ 'a' in 'cat' }} {{ 2 not in [1, 3] }} {{ 'k' in {'k': 1} }} {{ 1 == 1.0 }} "
                    "{{ [1, 2] == [1, 2] }} {{ not 0 }} {{ 0 or 'x' }} {{ 'y' and 'z' }} {{ 'a' if 1 > 2 else 'b' }}", {}),
    "tests": ("{{ 'x' is string }}{{ {} is mapping }}{{ [] is iterable }}{{ 'x' is iterable }}{{ [] is sequence }}"
              "{{ 1 is number }}{{ 1.5 is number }}{{ 'a' is number }}{{ true is boolean }}{{ 1 is boolean }}"
              "{{ true is true }}{{ 0 is false }}{{ none is none }}{{ 1 is not none }}{{ 3 is equalto 3 }}"
              "{{ 3 is eq(4) }}{{ 4 is even }}{{ 3 is odd }}{{ 9 is divisibleby 3 }}", {}),
    "filters_text": ("{{ '  t  ' | trim }}|{{ 'abc' | length }}|{{ [1, 2] | count }}|{{ 42 | string }}|{{ 'a' | upper }}|"
                     "{{ 'a-b-c' | replace('-', '+') }}|{{ ['a', 'b'] | join(', ') }}|{{ [3, 4] | first }}|{{ [3, 4] | last }}|"
                     "{{ '12' | int + 1 }}|{{ 'x' | int }}|{{ '2.5' | float }}|{{ -3 | abs }}|{{ 2.567 | round(2) }}|"
                     "{{ 2.5 | round }}|{{ 'a\nb' | indent(2) }}|{{ 'a\nb' | indent(2, true) }}|{{ 'one two  three' | wordcount }}|"
                     "{{ '<a>' | e }}|{{ '<a>' | safe }}", {}),
    "filters_lists": ("{{ users | map(attribute='name') | list }}|{{ users | selectattr('admin') | map(attribute='name') | join }}|"
                      "{{ users | rejectattr('admin') | list | length }}|{{ users | selectattr('role', 'equalto', 'x') | list | length }}|"
                      "{{ users | selectattr('missing', 'defined') | list }}|{{ [1, 0, 2] | select | list }}|"
                      "{{ [1, 2, 3, 4] | reject('odd') | list }}|{{ [3, 1, 3, 2] | unique | list }}|{{ [1, 2] | reverse | list }}|"
                      "{{ ['b', 'A', 'c'] | sort }}|{{ users | sort(attribute='name', reverse=true) | map(attribute='name') | join(',') }}|"
                      "{{ {'b': 1, 'a': 2} | dictsort }}|{{ {'a': 1} | items | list }}|{{ 'ab' | list }}|{{ [1, 2, 3] | sum }}|"
                      "{{ ['a', 'b'] | map('upper') | list }}",
                      {"users": [{"name": "ann", "admin": True, "role": "x"}, {"name": "bob", "admin": False, "role": "y"}]}),
    "dict_methods": ("{{ d.keys() | list }}{{ d.values() | list }}{{ d.get('a') }}{{ d.get('zz', 'dflt') }}{{ d.get('zz') }}"
                     "{% for k in d %}{{ k }}{% endfor %}{{ d | length }}", {"d": {"a": 1, "b": 2}}),
    "globals": ("{{ range(3) | list }}{{ range(1, 7, 2) | list }}{{ dict(a=1, b='x') }}{{ strftime_now('%d %b %Y|%B %A %H:%M') }}", {}),
    "raise": ("{% if messages | length == 0 %}{{ raise_exception('Conversation must not be empty!') }}{% endif %}", {"messages": []}),
    "undefined_attribute_error": ("{{ missing.attr }}", {}),
    "add_string_and_none_error": ("{{ 'a' + none }}", {}),
    "dict_literal_and_access": ("{% set m = {'role': 'user', 'content': 'hi'} %}{{ m.role }}{{ m['content'] }}{{ m.content|upper }}", {}),
    "is_precedence": ("{% if not x is defined %}undef{% endif %}{{ -2 | abs }}{{ items | length - 1 }}", {"items": [1, 2, 3]}),
}
