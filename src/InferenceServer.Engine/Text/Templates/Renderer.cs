using System.Text;

namespace InferenceServer.Engine.Text.Templates;

/// <summary>Executes a parsed template once. One instance per render call; parsed nodes are only read.</summary>
internal sealed partial class Renderer
{
    private readonly IReadOnlyDictionary<string, object?> _context;
    private readonly TimeProvider _time;
    private Scope _scope = new(null);

    public Renderer(IReadOnlyDictionary<string, object?> context, TimeProvider time)
    {
        _context = context;
        _time = time;
    }

    private enum Flow
    {
        Normal,
        Break,
        Continue,
    }

    public string Render(Node[] nodes)
    {
        var output = new StringBuilder(1024);
        Execute(nodes, output);
        return output.ToString();
    }

    private Flow Execute(Node[] nodes, StringBuilder output)
    {
        foreach (var node in nodes)
        {
            var flow = ExecuteOne(node, output);
            if (flow != Flow.Normal)
            {
                return flow;
            }
        }

        return Flow.Normal;
    }

    private Flow ExecuteOne(Node node, StringBuilder output)
    {
        switch (node.Kind)
        {
            case NodeKind.Text:
                output.Append((string)node.Value!);
                return Flow.Normal;
            case NodeKind.Print:
                output.Append(PyValue.Str(Eval(node.Items[0])));
                return Flow.Normal;
            case NodeKind.If:
                var branch = PyValue.IsTrue(Eval(node.Items[0])) ? node.Body : node.Else;
                return branch is null ? Flow.Normal : Execute(branch, output);
            case NodeKind.For:
                return ExecuteFor(node, output);
            case NodeKind.Set:
                Assign(node.Names!, Eval(node.Items[0]), node.Line);
                return Flow.Normal;
            case NodeKind.SetAttribute:
                if (!_scope.TryGet(node.Name!, out var target) || target is not JinjaNamespace ns)
                {
                    throw new TemplateException($"Cannot assign attribute on non-namespace object '{node.Name}' (line {node.Line}).");
                }

                ns.Attributes[(string)node.Value!] = Eval(node.Items[0]);
                return Flow.Normal;
            case NodeKind.SetBlock:
                Assign(node.Names!, Capture(node.Body!), node.Line);
                return Flow.Normal;
            case NodeKind.Macro:
                _scope.Set(node.Name!, new Macro(node, _scope));
                return Flow.Normal;
            case NodeKind.CallBlock:
                output.Append(PyValue.Str(EvalCall(node.Items[0], new Macro(node, _scope))));
                return Flow.Normal;
            case NodeKind.FilterBlock:
                var (args, kwargs) = EvalArguments(node, 0);
                output.Append(PyValue.Str(Filters.Apply(node.Name!, Capture(node.Body!), args, kwargs, node.Line)));
                return Flow.Normal;
            case NodeKind.Break:
                return Flow.Break;
            case NodeKind.Continue:
                return Flow.Continue;
            default:
                throw new TemplateException($"Unexpected node {node.Kind} (line {node.Line}).");
        }
    }

    private string Capture(Node[] body)
    {
        var sb = new StringBuilder();
        Execute(body, sb);
        return sb.ToString();
    }

    private void Assign(string[] names, object? value, int line)
    {
        if (names.Length == 1)
        {
            _scope.Set(names[0], value);
            return;
        }

        var values = PyValue.Iterate(value, line);
        if (values.Count != names.Length)
        {
            throw new TemplateException($"Cannot unpack {values.Count} values into {names.Length} names (line {line}).");
        }

        for (var i = 0; i < names.Length; i++)
        {
            _scope.Set(names[i], values[i]);
        }
    }

    private Flow ExecuteFor(Node node, StringBuilder output)
    {
        var source = PyValue.Iterate(Eval(node.Items[0]), node.Line);
        var outer = _scope;
        var items = source;
        if (node.Items.Length > 1)
        {
            items = new List<object?>(source.Count);
            foreach (var item in source)
            {
                _scope = new Scope(outer);
                Assign(node.Names!, item, node.Line);
                if (PyValue.IsTrue(Eval(node.Items[1])))
                {
                    items.Add(item);
                }
            }

            _scope = outer;
        }

        if (items.Count == 0)
        {
            return node.Else is null ? Flow.Normal : Execute(node.Else, output);
        }

        try
        {
            for (var i = 0; i < items.Count; i++)
            {
                _scope = new Scope(outer);
                Assign(node.Names!, items[i], node.Line);
                _scope.Set("loop", new LoopInfo(items, i));
                if (Execute(node.Body!, output) == Flow.Break)
                {
                    break;
                }
            }
        }
        finally
        {
            _scope = outer;
        }

        return Flow.Normal;
    }

    private object? CallMacro(Macro macro, List<object?> args, Dictionary<string, object?>? kwargs, Macro? caller)
    {
        var definition = macro.Definition;
        var parameters = definition.Names!;
        var saved = _scope;
        _scope = new Scope(macro.Closure);
        try
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                object? value;
                if (i < args.Count)
                {
                    value = args[i];
                }
                else if (kwargs is not null && kwargs.TryGetValue(parameters[i], out var named))
                {
                    value = named;
                }
                else
                {
                    var d = Array.IndexOf(definition.KeywordNames!, parameters[i]);
                    value = d >= 0 ? Eval(definition.KeywordValues![d]) : Undefined.Instance;
                }

                _scope.Set(parameters[i], value);
            }

            if (caller is not null)
            {
                _scope.Set("caller", caller);
            }

            return Capture(definition.Body!);
        }
        finally
        {
            _scope = saved;
        }
    }
}
