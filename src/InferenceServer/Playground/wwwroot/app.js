// The playground's entry: tabs, the API key (kept in localStorage), the model list shared by the tabs.
import { request, showError } from './api.js';
import { chooseVisionModel, initChat, setChatModels, takesImages } from './chat.js';
import { initImages, setImageModels } from './images.js';
import { initEmbeddings, setEmbeddingModels } from './embeddings.js';
import { initStatus, setStatusVisible } from './status.js';
import { initVideo, loadVideoJobs, setVideoModels } from './video.js';

const KeyStorage = 'inferenceserver.apiKey';

function selectTab(name) {
  for (const button of document.querySelectorAll('#tabs button')) {
    button.setAttribute('aria-selected', String(button.dataset.tab === name));
  }
  for (const section of document.querySelectorAll('section.tab')) {
    section.hidden = section.id !== 'tab-' + name;
  }
  setStatusVisible(name === 'status');
}

// Image input has no tab of its own: it is attachments in chat, so its tab opens chat on a model that takes images.
function showImageInput(available) {
  const tab = document.querySelector('#tabs button[data-tab="vision"]');
  const reason = 'No model here takes image input: none lists "image" in its /models input_modalities.';
  tab.disabled = !available;
  tab.title = available ? 'Chat with images attached' : reason;
  const note = document.getElementById('unavailable');
  note.textContent = available ? '' : 'Image input is off: no model here takes images, so its tab is disabled.';
  note.hidden = available;
}

export async function loadModels() {
  try {
    const list = await (await request('/models')).json();
    const models = list.data ?? [];
    const outputs = m => m.output_modalities ?? ['text'];
    const chat = models.filter(m => outputs(m).includes('text'));
    setChatModels(chat);
    setImageModels(models.filter(m => outputs(m).includes('image')));
    setEmbeddingModels(models.filter(m => outputs(m).includes('embedding')));
    setVideoModels(models.filter(m => outputs(m).includes('video')));
    showImageInput(chat.some(takesImages));
    document.body.dataset.models = 'loaded';
    showError(null);
  } catch (e) {
    document.body.dataset.models = 'failed';
    showError(e);
    loadVideoJobs().catch(() => { /* the same failure, shown above; the other key's jobs are gone from the page */ });
    return;
  }
  try { await loadVideoJobs(); } catch (e) { showError(e); }
}

const key = document.getElementById('api-key');
key.value = localStorage.getItem(KeyStorage) ?? '';
key.addEventListener('change', () => {
  localStorage.setItem(KeyStorage, key.value.trim());
  loadModels();
});
for (const button of document.querySelectorAll('#tabs button')) {
  button.addEventListener('click', () => {
    if (button.dataset.tab !== 'vision') { selectTab(button.dataset.tab); return; }
    selectTab('chat');
    chooseVisionModel();
  });
}

initChat();
initImages();
initEmbeddings();
initStatus();
initVideo();
loadModels();
