// Images attached to the next chat turn (picker, drag and drop, paste), shown as removable thumbnails and sent as
// image_url parts with data: URLs. Only open for a model whose /models entry lists "image" in input_modalities.
import { element, showError } from './api.js';

const $ = id => document.getElementById(id);
const attached = []; // { name, url } in the order attached
let refusal = null;  // why the chosen model takes no images; null when it does
let reading = Promise.resolve(); // files are read one batch after another, so thumbnails keep the order attached

function render() {
  $('chat-attachments').replaceChildren(...attached.map((image, i) => {
    const thumb = element('figure', 'thumb');
    const img = element('img');
    img.src = image.url;
    img.alt = image.name;
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
    if (!file.type.startsWith('image/')) { showError(`${file.name || 'The file'} is not an image (${file.type || 'unknown type'}).`); continue; }
    try {
      attached.push({ name: file.name || 'pasted image', url: await dataUrl(file) });
    } catch (e) {
      showError(`${file.name} could not be read: ${e.message}`);
    }
  }
  render();
}

/** null: the model takes images; otherwise the sentence saying why it does not (pending images are dropped). */
export function setImageInput(reason) {
  refusal = reason;
  $('chat-attach').disabled = reason !== null;
  $('chat-attach-label').title = reason ?? '';
  $('chat-attach-reason').textContent = reason ?? '';
  if (reason !== null && attached.length) { attached.length = 0; render(); }
}

export const hasAttachments = () => attached.length > 0;

/** The attached images as content parts, emptying the composer. */
export function takeAttachments() {
  const parts = attached.splice(0).map(image => ({ type: 'image_url', image_url: { url: image.url } }));
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
