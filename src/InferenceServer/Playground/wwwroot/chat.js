// The chat tab: streamed replies over SSE, reasoning in a collapsible block, tool calls as calls, per-turn figures.
import { element, request, showError } from './api.js';
import { hasAttachments, initAttachments, setImageInput, takeAttachments } from './attachments.js';
import { renderMarkdown } from './markdown.js';
import { events } from './sse.js';

const $ = id => document.getElementById(id);
const messages = []; // the conversation as sent to the API
const turns = [];    // the same with what the page measured, for export
let models = [];
let running = null;  // the AbortController of the request in flight

export function setChatModels(list) {
  models = list;
  const options = $('chat-models');
  options.replaceChildren(...list.map(m => {
    const o = element('option');
    o.value = m.id;
    o.label = m.id + (m.capabilities?.thinking ? ' (thinking)' : '');
    return o;
  }));
  if (!$('chat-model').value && list.length) $('chat-model').value = list[0].id;
  describeModel();
}

export const takesImages = m => (m?.input_modalities ?? ['text']).includes('image');
const takesVideo = m => (m?.input_modalities ?? ['text']).includes('video');

/** Selects a model that takes images, unless the chosen one already does. */
export function chooseVisionModel() {
  if (takesImages(models.find(x => x.id === $('chat-model').value))) return;
  const vision = models.find(takesImages);
  if (vision) { $('chat-model').value = vision.id; describeModel(); }
}

function imageRefusal(m) {
  if (takesImages(m)) return null;
  const vision = models.filter(takesImages).map(x => x.id);
  if (!m) return 'Pick a model from the list to attach images.';
  return vision.length
    ? `${m.id} takes text only; to attach images pick ${vision.join(' or ')}.`
    : `${m.id} takes text only, and no model here takes images (none lists "image" in its /models input_modalities).`;
}

function describeModel() {
  const m = models.find(x => x.id === $('chat-model').value);
  const info = $('chat-model-info');
  setImageInput(imageRefusal(m), takesVideo(m) ? null : `${m?.id ?? 'This model'} takes no video (its /models input_modalities do not list "video"; the server needs FFmpeg for it).`);
  if (!m) { info.textContent = ''; return; }
  const caps = m.capabilities ?? {};
  info.textContent = `input: ${(m.input_modalities ?? ['text']).join(', ')} · thinking: ` +
    (caps.thinking ? (caps.thinking_by_default ? 'yes, on by default' : 'yes, off by default') : 'no') +
    ` · tools: ${caps.tools ? 'yes' : 'no'} · context ${m.context_window}`;
}

function addTurn(role, text, images = []) {
  const turn = element('div', 'turn ' + role);
  turn.dataset.role = role;
  turn.append(element('div', 'role', role));
  const content = element('div', 'content');
  if (role === 'user') content.textContent = text; else renderMarkdown(content, text);
  turn.append(content);
  if (images.length) {
    const strip = element('div', 'attachments');
    strip.append(...images.map(part => {
      if (part.type === 'video_url') return element('span', 'video-chip', '▶ ' + part.name);
      const img = element('img'); img.src = part.image_url.url; img.alt = 'attached image'; return img;
    }));
    turn.append(strip);
  }
  $('chat-log').append(turn);
  return turn;
}

function requestBody() {
  const body = { model: $('chat-model').value.trim(), messages: [...messages], stream: true, stream_options: { include_usage: true } };
  const system = $('chat-system').value.trim();
  if (system) body.messages.unshift({ role: 'system', content: system });
  if ($('chat-thinking').value) body.thinking = { type: $('chat-thinking').value };
  if ($('chat-effort').value) body.reasoning_effort = $('chat-effort').value;
  if ($('chat-temperature').value !== '') body.temperature = Number($('chat-temperature').value);
  if ($('chat-max-tokens').value !== '') body.max_tokens = Number($('chat-max-tokens').value);
  const tools = $('chat-tools').value.trim();
  if (tools) body.tools = JSON.parse(tools);
  return body;
}

function showToolCalls(turn, calls) {
  let box = turn.querySelector('.tool-calls');
  if (!box) { box = element('div', 'tool-calls'); turn.querySelector('.content').after(box); }
  box.replaceChildren(...calls.map(c => element('div', 'tool-call', `${c.function.name}(${c.function.arguments})`)));
}

async function send(event) {
  event.preventDefault();
  const text = $('chat-input').value;
  if ((!text.trim() && !hasAttachments()) || running) return;
  showError(null);
  let body;
  try { body = requestBody(); } catch (e) { showError('Tools: ' + e.message); return; }
  // With images the content is parts (OpenAI's shape): the text, then each image as a data: URL.
  const images = takeAttachments();
  // The page keeps a video's name to show it; the API gets the part without it.
  const wire = images.map(({ name, ...part }) => part);
  const parts = images.length ? [...(text.trim() ? [{ type: 'text', text }] : []), ...wire] : text;
  messages.push({ role: 'user', content: parts });
  turns.push({ role: 'user', content: parts });
  body.messages.push({ role: 'user', content: parts });
  addTurn('user', text, images);
  $('chat-input').value = '';

  const turn = addTurn('assistant', '');
  turn.dataset.state = 'streaming';
  const content = turn.querySelector('.content');
  const reasoningBlock = element('details', 'reasoning');
  reasoningBlock.open = true;
  reasoningBlock.append(element('summary', null, 'Reasoning'), element('div', 'reasoning-text'));
  const stats = element('div', 'stats');
  turn.append(stats);

  running = new AbortController();
  $('chat-send').disabled = true;
  $('chat-stop').disabled = false;
  const started = performance.now();
  let first = null, answer = '', reasoning = '', usage = null, finish = null;
  const calls = [];
  // The answer is rendered once per frame, not once per token: a long reply stays cheap to draw.
  let painting = false;
  const paint = () => {
    if (painting) return;
    painting = true;
    requestAnimationFrame(() => { painting = false; renderMarkdown(content, answer); });
  };
  try {
    const response = await request('/chat/completions', body, running.signal);
    for await (const chunk of events(response)) {
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices?.[0];
      if (!choice) continue;
      const delta = choice.delta ?? {};
      if (first === null && (delta.content || delta.reasoning_content || delta.tool_calls)) first = performance.now();
      if (delta.reasoning_content) {
        if (!reasoningBlock.isConnected) content.before(reasoningBlock);
        reasoning += delta.reasoning_content;
        reasoningBlock.querySelector('.reasoning-text').textContent = reasoning;
      }
      if (delta.content) { answer += delta.content; paint(); }
      for (const call of delta.tool_calls ?? []) {
        const c = calls[call.index] ??= { id: call.id, type: 'function', function: { name: '', arguments: '' } };
        if (call.id) c.id = call.id;
        if (call.function?.name) c.function.name += call.function.name;
        if (call.function?.arguments) c.function.arguments += call.function.arguments;
        showToolCalls(turn, calls);
      }
      if (choice.finish_reason) finish = choice.finish_reason;
    }
    turn.dataset.state = 'done';
  } catch (e) {
    if (e.name === 'AbortError') { turn.dataset.state = 'stopped'; finish = 'stopped'; }
    else { turn.dataset.state = 'failed'; showError(e); }
  } finally {
    running = null;
    $('chat-send').disabled = false;
    $('chat-stop').disabled = true;
  }
  renderMarkdown(content, answer);
  if (reasoningBlock.isConnected) reasoningBlock.open = false;
  const end = performance.now();
  const figures = { finish_reason: finish, ttft_ms: first === null ? null : Math.round(first - started) };
  if (usage) {
    figures.prompt_tokens = usage.prompt_tokens;
    figures.completion_tokens = usage.completion_tokens;
    figures.cache_hit_tokens = usage.prompt_cache_hit_tokens ?? usage.prompt_tokens_details?.cached_tokens ?? 0;
    // Over the stream after its first token; over the whole turn when that is too short to measure (a tool call the
    // server sends whole at the end).
    const span = first !== null && end - first >= 100 ? end - first : end - started;
    if (span > 0) figures.tokens_per_second = Math.round(usage.completion_tokens / (span / 1000) * 10) / 10;
  }
  stats.textContent = [
    `finish: ${finish ?? '–'}`,
    usage ? `tokens: ${usage.prompt_tokens} in, ${usage.completion_tokens} out` : null,
    usage ? `cache hits: ${figures.cache_hit_tokens}` : null,
    figures.ttft_ms === null ? null : `TTFT ${figures.ttft_ms} ms`,
    figures.tokens_per_second === undefined ? null : `${figures.tokens_per_second} tokens/s`,
  ].filter(Boolean).join(' · ');
  if (turn.dataset.state === 'failed') { messages.pop(); return; }
  const reply = { role: 'assistant', content: answer };
  if (calls.length) reply.tool_calls = calls;
  messages.push(reply);
  turns.push({ ...reply, reasoning_content: reasoning || undefined, stats: figures });
}

function exportJson() {
  const blob = new Blob([JSON.stringify({ model: $('chat-model').value, system: $('chat-system').value, turns }, null, 2)], { type: 'application/json' });
  const a = element('a');
  a.href = URL.createObjectURL(blob);
  a.download = 'conversation.json';
  a.click();
  URL.revokeObjectURL(a.href);
}

export function initChat() {
  initAttachments();
  $('chat-form').addEventListener('submit', send);
  $('chat-input').addEventListener('keydown', e => { if (e.key === 'Enter' && e.ctrlKey) send(e); });
  $('chat-stop').addEventListener('click', () => running?.abort());
  $('chat-model').addEventListener('input', describeModel);
  $('chat-export').addEventListener('click', exportJson);
  $('chat-clear').addEventListener('click', () => { messages.length = 0; turns.length = 0; $('chat-log').replaceChildren(); });
}
