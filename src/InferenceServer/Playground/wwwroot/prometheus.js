// Prometheus text exposition → Map of metric name → list of { labels, value }.
export function parsePrometheus(text) {
  const metrics = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/);
    if (!m) continue;
    const labels = {};
    for (const l of (m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    const value = Number(m[4]);
    if (!metrics.has(m[1])) metrics.set(m[1], []);
    metrics.get(m[1]).push({ labels, value });
  }
  return metrics;
}

export function sum(metrics, name) {
  return (metrics.get(name) ?? []).reduce((s, x) => s + x.value, 0);
}

export function max(metrics, name) {
  return (metrics.get(name) ?? []).reduce((s, x) => Math.max(s, x.value), 0);
}
