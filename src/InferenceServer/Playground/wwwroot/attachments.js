// Images (and videos) attached to the next chat turn (picker, drag and drop, paste), shown as removable thumbnails
// (a video as a chip with its name) and sent as image_url / video_url parts with data: URLs. Only open for a model
// whose /models entry lists "image" in input_modalities; videos only where it lists "video" too.
import { element, showError } from './api.js';

const $ = id => document.getElementById(id);
const attached = []; // { name, url, video } in the order attached
let refusal = null;  // why the chosen model takes no images; null when it does
let videoRefusal = null; // why it takes no videos; null when it does
let reading = Promise.resolve(); // files are read one batch after another, so thumbnails keep the order attached

function render() {
  $('chat-attachments').replaceChildren(...attached.map((image, i) => {
    const thumb = element('figure', 'thumb');
    let img;
    if (image.video) {
      img = element('span', 'video-chip', '▶ ' + image.name);
    } else {
      img = element('img');
      img.src = image.url;
      img.alt = image.name;
    }
    const remove = element('button', 'remove', '×');
    remove.type = 'button';
    remove.title = remove.ariaLabel = 'Remove ' + image.name;
    remove.addEventListener('click', () => { attached.splice(i, 1); render(); });
    thumb.append(img, remove);
    return thumb;
  }));
}

const dataUrl = file => new Promise((resolve, reject) => {
  const reader = new FileReader();
  reader.onload = () => resolve(reader.result);
  reader.onerror = () => reject(reader.error);
  reader.readAsDataURL(file);
});

function attach(files) {
  if (refusal) { showError(refusal); return; }
  reading = reading.then(() => read(files));
}

async function read(files) {
  for (const file of files) {
    const video = file.type.startsWith('video/');
    if (!video && !file.type.startsWith('image/')) { showError(`${file.name || 'The file'} is not an image or a video (${file.type || 'unknown type'}).`); continue; }
    if (video && videoRefusal) { showError(videoRefusal); continue; }
    try {
      attached.push({ name: file.name || 'pasted image', url: await dataUrl(file), video });
    } catch (e) {
      showError(`${file.name} could not be read: ${e.message}`);
    }
  }
  render();
}

/**
 * null: the model takes images; otherwise the sentence saying why it does not (pending images are dropped). The same
 * for videos in <videoReason>.
 */
export function setImageInput(reason, videoReason = reason) {
  refusal = reason;
  videoRefusal = reason ?? videoReason;
  $('chat-attach').accept = videoRefusal ? 'image/*' : 'image/*,video/*';
  $('chat-attach').disabled = reason !== null;
  $('chat-attach-label').title = reason ?? '';
  $('chat-attach-reason').textContent = reason ?? '';
  const kept = attached.filter(a => (a.video ? videoRefusal : refusal) === null);
  if (kept.length !== attached.length) { attached.splice(0, attached.length, ...kept); render(); }
}

export const hasAttachments = () => attached.length > 0;

/** The attached images and videos as content parts, emptying the composer. */
export function takeAttachments() {
  const parts = attached.splice(0).map(a => a.video
    ? { type: 'video_url', video_url: { url: a.url }, name: a.name }
    : { type: 'image_url', image_url: { url: a.url } });
  render();
  return parts;
}

const carriesFiles = event => [...(event.dataTransfer?.types ?? [])].includes('Files');

export function initAttachments() {
  const form = $('chat-form');
  $('chat-attach').addEventListener('change', event => { attach([...event.target.files]); event.target.value = ''; });
  form.addEventListener('dragover', event => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    form.classList.toggle('dropping', refusal === null);
  });
  form.addEventListener('dragleave', () => form.classList.remove('dropping'));
  form.addEventListener('drop', event => {
    form.classList.remove('dropping');
    if (!event.dataTransfer?.files.length) return;
    event.preventDefault();
    attach([...event.dataTransfer.files]);
  });
  $('chat-input').addEventListener('paste', event => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (!files.length) return;
    event.preventDefault();
    attach(files);
  });
}
