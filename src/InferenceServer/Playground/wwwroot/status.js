// The status tab: /metrics polled every 2 s while the tab is shown, charted (no server state of its own).
import { headers, showError } from './api.js';
import { Chart } from './chart.js';
import { max, parsePrometheus, sum } from './prometheus.js';

const P = 'inferenceserver_';
const IntervalMs = 2000;
let charts = null;
let timer = null;
let previous = null;

function mean(now, before, name) {
  const count = sum(now, name + '_count') - (before ? sum(before, name + '_count') : 0);
  if (count <= 0) return null;
  return (sum(now, name + '_sum') - (before ? sum(before, name + '_sum') : 0)) / count * 1000;
}

async function poll() {
  try {
    const response = await fetch('/metrics', { headers: headers(false) });
    if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
    const now = parsePrometheus(await response.text());
    const at = performance.now();
    charts.running.add(sum(now, P + 'num_requests_running') + sum(now, P + 'workload_requests_running'));
    charts.waiting.add(sum(now, P + 'num_requests_waiting'));
    charts.tokens.add(previous ? Math.max(0, sum(now, P + 'generation_tokens_total') - sum(previous.metrics, P + 'generation_tokens_total')) / ((at - previous.at) / 1000) : 0);
    charts.kv.add(max(now, P + 'kv_cache_usage_perc') * 100);
    charts.ttft.add(mean(now, previous?.metrics, P + 'time_to_first_token_seconds'));
    charts.queue.add(mean(now, previous?.metrics, P + 'request_queue_time_seconds'));
    charts.finished.add(sum(now, P + 'request_success_total'));
    charts.generated.add(sum(now, P + 'generation_tokens_total'));
    previous = { metrics: now, at };
    document.getElementById('status-updated').textContent = 'Updated ' + new Date().toLocaleTimeString();
  } catch (e) {
    showError(e);
  }
}

export function setStatusVisible(visible) {
  clearInterval(timer);
  timer = null;
  if (!visible) return;
  poll();
  timer = setInterval(poll, IntervalMs);
}

export function initStatus() {
  const parent = document.getElementById('status-charts');
  charts = {
    running: new Chart(parent, 'running', 'Requests running', '', 0),
    waiting: new Chart(parent, 'waiting', 'Requests waiting', '', 0),
    tokens: new Chart(parent, 'tokens', 'Generated tokens/s (finished requests)', 'tok/s'),
    kv: new Chart(parent, 'kv', 'KV-cache use', '%'),
    ttft: new Chart(parent, 'ttft', 'Time to first token (mean per interval)', 'ms'),
    queue: new Chart(parent, 'queue', 'Queue time (mean per interval)', 'ms'),
    finished: new Chart(parent, 'finished', 'Requests finished (total)', '', 0),
    generated: new Chart(parent, 'generated', 'Generated tokens (total)', '', 0),
  };
}
