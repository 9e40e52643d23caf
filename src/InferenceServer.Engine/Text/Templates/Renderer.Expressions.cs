using System.Text;

namespace InferenceServer.Engine.Text.Templates;

/// <summary>Expression evaluation: variables, access, operators, calls.</summary>
internal sealed partial class Renderer
{
    private object? Eval(Node node)
    {
        switch (node.Kind)
        {
            case NodeKind.Constant:
                return node.Value;
            case NodeKind.Variable:
                return Lookup(node.Name!);
            case NodeKind.GetAttribute:
                return GetAttribute(Eval(node.Items[0]), node.Name!, node.Line);
            case NodeKind.GetItem:
                return GetItem(Eval(node.Items[0]), Eval(node.Items[1]), node.Line);
            case NodeKind.Slice:
                return Slicing.Slice(Eval(node.Items[0]), Eval(node.Items[1]), Eval(node.Items[2]), Eval(node.Items[3]), node.Line);
            case NodeKind.Call:
                return EvalCall(node, null);
            case NodeKind.Filter:
                var (args, kwargs) = EvalArguments(node, 1);
                return Filters.Apply(node.Name!, Eval(node.Items[0]), args, kwargs, node.Line);
            case NodeKind.Test:
                var (testArgs, _) = EvalArguments(node, 1);
                return BuiltinTests.Run(node.Name!, Eval(node.Items[0]), testArgs, node.Line) != (bool)node.Value!;
            case NodeKind.Unary:
                var operand = Eval(node.Items[0]);
                return node.Name switch
                {
                    "not" => !PyValue.IsTrue(operand),
                    "-" => operand is double d ? -d : PyOps.Arithmetic("-", 0L, operand, node.Line),
                    _ => operand,
                };
            case NodeKind.Binary:
                var left = Eval(node.Items[0]);
                return node.Name switch
                {
                    "and" => PyValue.IsTrue(left) ? Eval(node.Items[1]) : left,
                    "or" => PyValue.IsTrue(left) ? left : Eval(node.Items[1]),
                    _ => PyOps.Arithmetic(node.Name!, left, Eval(node.Items[1]), node.Line),
                };
            case NodeKind.Compare:
                return EvalCompare(node);
            case NodeKind.Concat:
                var sb = new StringBuilder();
                foreach (var item in node.Items)
                {
                    sb.Append(PyValue.Str(Eval(item)));
                }

                return sb.ToString();
            case NodeKind.Conditional:
                return PyValue.IsTrue(Eval(node.Items[1])) ? Eval(node.Items[0])
                    : node.Items.Length > 2 ? Eval(node.Items[2]) : Undefined.Instance;
            case NodeKind.List:
                return EvalAll(node.Items);
            case NodeKind.Tuple:
                return EvalAll(node.Items).ToArray();
            case NodeKind.Dict:
                var map = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
                for (var i = 0; i < node.Items.Length; i += 2)
                {
                    map[PyValue.Str(Eval(node.Items[i]))] = Eval(node.Items[i + 1]);
                }

                return map;
            default:
                throw new TemplateException($"Unexpected expression {node.Kind} (line {node.Line}).");
        }
    }

    private List<object?> EvalAll(Node[] nodes)
    {
        var list = new List<object?>(nodes.Length);
        foreach (var n in nodes)
        {
            list.Add(Eval(n));
        }

        return list;
    }

    private bool EvalCompare(Node node)
    {
        var left = Eval(node.Items[0]);
        for (var i = 0; i < node.Names!.Length; i++)
        {
            var right = Eval(node.Items[i + 1]);
            var line = node.Line;
            var ok = node.Names[i] switch
            {
                "==" => PyOps.Equal(left, right),
                "!=" => !PyOps.Equal(left, right),
                "<" => PyOps.Compare(left, right, line) < 0,
                ">" => PyOps.Compare(left, right, line) > 0,
                "<=" => PyOps.Compare(left, right, line) <= 0,
                ">=" => PyOps.Compare(left, right, line) >= 0,
                "in" => PyOps.Contains(right, left, line),
                _ => !PyOps.Contains(right, left, line),
            };
            if (!ok)
            {
                return false;
            }

            left = right;
        }

        return true;
    }

    private object? Lookup(string name)
    {
        if (_scope.TryGet(name, out var value) || _context.TryGetValue(name, out value))
        {
            return value;
        }

        return GlobalFunction.All.TryGetValue(name, out var function) ? function : Undefined.Instance;
    }

    private static object? GetAttribute(object? target, string name, int line)
    {
        switch (target)
        {
            case Undefined:
                throw new TemplateException($"Cannot read attribute '{name}' of an undefined value (line {line}).");
            case JinjaNamespace ns:
                return ns.Attributes.TryGetValue(name, out var v) ? v : Undefined.Instance;
            case LoopInfo loop:
                return loop.Get(name);
        }

        return PyValue.AsMap(target) is { } map && map.TryGetValue(name, out var value) ? value : Undefined.Instance;
    }

    private static object? GetItem(object? target, object? key, int line)
    {
        if (target is Undefined)
        {
            throw new TemplateException($"Cannot read item {PyValue.Repr(key)} of an undefined value (line {line}).");
        }

        if (key is string name && target is JinjaNamespace or LoopInfo)
        {
            return GetAttribute(target, name, line);
        }

        if (PyValue.AsMap(target) is { } map)
        {
            return key is string k && map.TryGetValue(k, out var value) ? value : Undefined.Instance;
        }

        if (!PyValue.TryInt(key is bool b ? (b ? 1L : 0L) : key, out var index))
        {
            return Undefined.Instance;
        }

        if (target is string s)
        {
            index = index < 0 ? index + s.Length : index;
            return index >= 0 && index < s.Length ? s[(int)index].ToString() : Undefined.Instance;
        }

        if (PyValue.AsList(target) is { } list)
        {
            index = index < 0 ? index + list.Count : index;
            return index >= 0 && index < list.Count ? list[(int)index] : Undefined.Instance;
        }

        return Undefined.Instance;
    }

    private (List<object?> Args, Dictionary<string, object?>? Kwargs) EvalArguments(Node node, int skip)
    {
        var args = new List<object?>(node.Items.Length - skip);
        for (var i = skip; i < node.Items.Length; i++)
        {
            args.Add(Eval(node.Items[i]));
        }

        Dictionary<string, object?>? kwargs = null;
        if (node.KeywordNames is { Length: > 0 } names)
        {
            kwargs = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < names.Length; i++)
            {
                kwargs[names[i]] = Eval(node.KeywordValues![i]);
            }
        }

        return (args, kwargs);
    }

    private object? EvalCall(Node node, Macro? caller)
    {
        var callee = node.Items[0];
        var (args, kwargs) = EvalArguments(node, 1);
        object? function;
        if (callee.Kind == NodeKind.GetAttribute)
        {
            var target = Eval(callee.Items[0]);
            if (target is LoopInfo loop && callee.Name == "cycle")
            {
                return loop.Cycle(args);
            }

            function = GetAttribute(target, callee.Name!, callee.Line);
            if (function is not (Macro or GlobalFunction)
                && Methods.TryCall(target, callee.Name!, args, kwargs, node.Line, out var result))
            {
                return result;
            }
        }
        else
        {
            function = Eval(callee);
        }

        return function switch
        {
            Macro macro => CallMacro(macro, args, kwargs, caller),
            GlobalFunction global => CallGlobal(global.Name, args, kwargs, node.Line),
            Undefined => throw new TemplateException($"Cannot call an undefined value (line {node.Line})."),
            _ => throw new TemplateException($"'{PyValue.TypeName(function)}' object is not callable (line {node.Line})."),
        };
    }
}
