using System.Text;

namespace InferenceServer.Engine.Text.Templates;

/// <summary>Python slicing <c>x[start:stop:step]</c> on lists, tuples and strings.</summary>
internal static class Slicing
{
    public static object? Slice(object? target, object? start, object? stop, object? step, int line)
    {
        var s = target as string;
        var list = s is null ? PyValue.AsList(target) : null;
        if (s is null && list is null)
        {
            throw new TemplateException($"'{PyValue.TypeName(target)}' object is not subscriptable (line {line}).");
        }

        var count = s?.Length ?? list!.Count;
        var by = step is null ? 1 : PyValue.TryInt(step, out var st) ? st : throw BadIndex(line);
        if (by == 0)
        {
            throw new TemplateException($"slice step cannot be zero (line {line}).");
        }

        var from = Bound(start, count, by, by > 0 ? 0 : count - 1, line);
        var to = Bound(stop, count, by, by > 0 ? count : -1, line);
        var sb = s is null ? null : new StringBuilder();
        var result = list is null ? null : new List<object?>();
        for (var i = from; by > 0 ? i < to : i > to; i += by)
        {
            if (sb is not null)
            {
                sb.Append(s![(int)i]);
            }
            else
            {
                result!.Add(list![(int)i]);
            }
        }

        return sb is not null ? sb.ToString() : target is object?[]? result!.ToArray() : result;
    }

    private static long Bound(object? value, long count, long step, long missing, int line)
    {
        if (value is null)
        {
            return missing;
        }

        if (!PyValue.TryInt(value, out var i))
        {
            throw BadIndex(line);
        }

        if (i < 0)
        {
            i += count;
            return i < 0 ? (step > 0 ? 0 : -1) : i;
        }

        return i >= count ? (step > 0 ? count : count - 1) : i;
    }

    private static TemplateException BadIndex(int line) => new($"slice indices must be integers or None (line {line}).");
}
