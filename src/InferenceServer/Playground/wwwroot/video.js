// The video tab: /v1/videos jobs, each a card whose progress bar follows GET /v1/videos/{id} while it runs, then the
// MP4 in a <video> and its thumbnail (both fetched with the key, shown through blob: URLs), a download link and Delete.
import { element, request, showError } from './api.js';

const $ = id => document.getElementById(id);
const PollMs = 1000;
const Running = new Set(['queued', 'in_progress']);
const jobs = new Map(); // id -> { card, timer, urls }
let listedModels = [];  // /models entries that make video (the server lists its video models nowhere yet)
let seenModels = [];    // the models this key's jobs name

function showModels() {
  const ids = [...new Set([...listedModels.map(m => m.id), ...seenModels])];
  $('video-models').replaceChildren(...ids.map(id => { const o = element('option'); o.value = id; return o; }));
  const sizes = listedModels.find(m => m.id === $('video-model').value)?.sizes ?? listedModels[0]?.sizes ?? [];
  $('video-sizes').replaceChildren(...sizes.map(s => { const o = element('option'); o.value = s; return o; }));
}

function sawModel(id) {
  if (id && !seenModels.includes(id)) { seenModels.push(id); showModels(); }
}

export function setVideoModels(list) {
  listedModels = list;
  if (!$('video-model').value && list.length) $('video-model').value = list[0].id;
  showModels();
}

function forget(id) {
  const job = jobs.get(id);
  if (!job) return;
  clearTimeout(job.timer);
  for (const url of job.urls) URL.revokeObjectURL(url);
  job.card.remove();
  jobs.delete(id);
}

async function blobUrl(job, path) {
  const url = URL.createObjectURL(await (await request(path)).blob());
  job.urls.push(url);
  return url;
}

async function showMedia(id) {
  const job = jobs.get(id);
  try {
    const video = element('video');
    video.src = await blobUrl(job, `/v1/videos/${id}/content`);
    Object.assign(video, { controls: true, muted: true, loop: true, autoplay: true, playsInline: true });
    const thumbnail = element('img', 'thumbnail');
    thumbnail.src = await blobUrl(job, `/v1/videos/${id}/content?variant=thumbnail`);
    thumbnail.alt = 'thumbnail';
    const link = element('a', 'download', 'Download MP4');
    link.href = video.src;
    link.download = `${id}.mp4`;
    job.card.querySelector('.media').replaceChildren(video, thumbnail);
    job.card.querySelector('.actions').prepend(link);
  } catch (e) {
    showError(e);
  }
}

// A job listed at load that had already finished gets a button instead: the page does not fetch every old MP4.
function offerMedia(id) {
  const button = element('button', 'load', 'Show video');
  button.type = 'button';
  button.addEventListener('click', () => { button.remove(); showMedia(id); });
  jobs.get(id).card.querySelector('.media').replaceChildren(button);
}

function show(video, listed = false) {
  const job = jobs.get(video.id);
  if (!job) return;
  const { card } = job;
  const was = card.dataset.status;
  card.dataset.status = video.status;
  const bar = card.querySelector('progress');
  bar.value = video.progress;
  bar.hidden = !Running.has(video.status);
  card.querySelector('.state').textContent = video.status === 'failed'
    ? `failed: ${video.error?.message ?? 'no reason given'}`
    : `${video.status.replace('_', ' ')} · ${video.progress}%`;
  if (video.status === 'completed' && was !== 'completed') (listed ? offerMedia : showMedia)(video.id);
}

function poll(id) {
  const job = jobs.get(id);
  job.timer = setTimeout(async () => {
    try {
      const video = await (await request(`/v1/videos/${id}`)).json();
      if (!jobs.has(id)) return;
      show(video);
      if (Running.has(video.status)) poll(id);
    } catch (e) {
      if (!jobs.has(id)) return;
      jobs.get(id).card.querySelector('.state').textContent = 'no longer followed: ' + e.message;
      showError(e);
    }
  }, PollMs);
}

async function remove(id, button) {
  button.disabled = true;
  try {
    await request(`/v1/videos/${id}`, undefined, undefined, 'DELETE');
    forget(id);
  } catch (e) {
    button.disabled = false;
    showError(e);
  }
}

/** A card for the job; madeHere: made in this page (on top, its video shown when done) rather than listed at load. */
function add(video, madeHere) {
  if (jobs.has(video.id)) return;
  const card = element('figure', 'job');
  card.dataset.id = video.id;
  const caption = element('figcaption');
  caption.append(element('span', 'prompt', video.prompt), element('span', 'muted', ` ${video.model} · ${video.size} · ${video.seconds} s`));
  const bar = element('progress');
  bar.max = 100;
  const remover = element('button', 'delete', 'Delete');
  remover.type = 'button';
  remover.addEventListener('click', () => remove(video.id, remover));
  const actions = element('div', 'row actions');
  actions.append(remover);
  card.append(element('div', 'media'), caption, bar, element('div', 'state'), actions);
  jobs.set(video.id, { card, timer: null, urls: [] });
  if (madeHere) $('video-jobs').prepend(card); else $('video-jobs').append(card);
  sawModel(video.model);
  show(video, !madeHere);
  if (Running.has(video.status)) poll(video.id);
}

/** This key's jobs as the server lists them (newest first); another key's are dropped from the page. */
export async function loadVideoJobs() {
  for (const id of [...jobs.keys()]) forget(id);
  seenModels = [];
  const list = await (await request('/v1/videos?limit=20')).json();
  for (const video of list.data ?? []) add(video, false);
  showModels();
}

async function create(event) {
  event.preventDefault();
  showError(null);
  const body = { prompt: $('video-prompt').value };
  const text = id => $(id).value.trim();
  if (text('video-model')) body.model = text('video-model');
  if (text('video-negative')) body.negative_prompt = text('video-negative');
  if (text('video-size')) body.size = text('video-size');
  if (text('video-seconds')) body.seconds = text('video-seconds');
  if (text('video-seed')) body.seed = Number(text('video-seed'));
  if (text('video-steps')) body.steps = Number(text('video-steps'));
  const button = $('video-create');
  button.disabled = true;
  try {
    add(await (await request('/v1/videos', body)).json(), true);
  } catch (e) {
    showError(e);
  } finally {
    button.disabled = false;
  }
}

export function initVideo() {
  $('video-form').addEventListener('submit', create);
  $('video-model').addEventListener('input', showModels);
}
