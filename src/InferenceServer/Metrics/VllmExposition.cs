using System.Text;
using Prometheus;

namespace InferenceServer.Metrics;

/// <summary>
/// The registry of the vLLM-named series and their text. prometheus-net refuses the colon in <c>vllm:…</c> (legal in
/// the exposition format), so the series are registered as <c>vllm_…</c> in a registry of their own, where every
/// name starts so, and <see cref="WriteAsync"/> writes that prefix back as <c>vllm:</c>.
/// </summary>
internal sealed class VllmExposition
{
    /// <summary>What the series are registered under.</summary>
    internal const string RegisteredPrefix = "vllm_";

    private const string ExposedPrefix = "vllm:";

    public CollectorRegistry Registry { get; } = Prometheus.Metrics.NewCustomRegistry();

    /// <summary>The registry in Prometheus text format 0.0.4, names as vLLM exposes them.</summary>
    public async Task WriteAsync(Stream to, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await Registry.CollectAndExportAsTextAsync(buffer, ExpositionFormat.PrometheusText, cancellationToken);
        var text = new StringBuilder();
        foreach (var line in Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length).Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            // "# HELP name …", "# TYPE name …" or "name{labels} value": the name is the first or the third field.
            var at = line.StartsWith("# ", StringComparison.Ordinal) ? line.IndexOf(' ', 2) + 1 : 0;
            text.Append(line.AsSpan(0, at));
            text.Append(line.AsSpan(at).StartsWith(RegisteredPrefix, StringComparison.Ordinal) ? ExposedPrefix + line[(at + RegisteredPrefix.Length)..] : line[at..]);
            text.Append('\n');
        }

        await to.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), cancellationToken);
    }
}
