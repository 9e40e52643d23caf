namespace InferenceServer.Engine.Text.Templates;

/// <summary>The global functions Hugging Face chat templates call.</summary>
internal sealed partial class Renderer
{
    private object? CallGlobal(string name, List<object?> args, Dictionary<string, object?>? kwargs, int line)
    {
        switch (name)
        {
            case "raise_exception":
                throw new TemplateRaisedException(args.Count > 0 ? PyValue.Str(args[0]) : "Template raised an exception.");
            case "strftime_now":
                return PyStrftime.Format(_time.GetUtcNow(), args.Count > 0 ? PyValue.Str(args[0]) : string.Empty);
            case "namespace":
                var ns = new JinjaNamespace();
                if (args.Count > 0 && PyValue.AsMap(args[0]) is { } initial)
                {
                    foreach (var pair in initial)
                    {
                        ns.Attributes[pair.Key] = pair.Value;
                    }
                }

                Merge(ns.Attributes, kwargs);
                return ns;
            case "dict":
                var map = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
                if (args.Count > 0 && PyValue.AsMap(args[0]) is { } source)
                {
                    foreach (var pair in source)
                    {
                        map[pair.Key] = pair.Value;
                    }
                }

                Merge(map, kwargs);
                return map;
            default:
                return Range(args, line);
        }
    }

    private static void Merge(IDictionary<string, object?> target, Dictionary<string, object?>? kwargs)
    {
        if (kwargs is null)
        {
            return;
        }

        foreach (var pair in kwargs)
        {
            target[pair.Key] = pair.Value;
        }
    }

    private static List<object?> Range(List<object?> args, int line)
    {
        long start = 0, step = 1, stop;
        var ints = new long[args.Count];
        for (var i = 0; i < args.Count; i++)
        {
            if (!PyValue.TryInt(args[i], out ints[i]))
            {
                throw new TemplateException($"range() arguments must be integers (line {line}).");
            }
        }

        switch (ints.Length)
        {
            case 1: stop = ints[0]; break;
            case 2: start = ints[0]; stop = ints[1]; break;
            case 3: start = ints[0]; stop = ints[1]; step = ints[2]; break;
            default: throw new TemplateException($"range() takes 1 to 3 arguments (line {line}).");
        }

        if (step == 0)
        {
            throw new TemplateException($"range() step must not be zero (line {line}).");
        }

        var list = new List<object?>();
        for (var i = start; step > 0 ? i < stop : i > stop; i += step)
        {
            if (list.Count > 100_000)
            {
                throw new TemplateException($"range() is too large (line {line}).");
            }

            list.Add(i);
        }

        return list;
    }
}
