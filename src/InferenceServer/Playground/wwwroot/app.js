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

// Why each tab's feature is missing (null: it is there), from /models. A tab without its feature is disabled, not
// hidden, with the reason as its title and in the note under the header. Image input has no tab of its own: it is
// attachments in chat, so its tab opens chat on a model that takes images.
const Lacking = {
  images: 'No image model is loaded: none lists "image" in its /models output_modalities.',
  embeddings: 'No embedding model is loaded: none lists "embedding" in its /models output_modalities.',
  video: 'No video model is loaded: none lists "video" in its /models output_modalities.',
  vision: 'No model here takes image input: none lists "image" in its /models input_modalities.',
};
const Notes = {
  images: 'Image generation is off: no image model is loaded.',
  embeddings: 'Embeddings are off: no embedding model is loaded.',
  video: 'Video generation is off: no video model is loaded.',
  vision: 'Image input is off: no model here takes images.',
};

function showAvailability(available) {
  const notes = [];
  for (const [tab, reason] of Object.entries(Lacking)) {
    const button = document.querySelector(`#tabs button[data-tab="${tab}"]`);
    button.disabled = !available[tab];
    button.title = available[tab] ? (tab === 'vision' ? 'Chat with images attached' : '') : reason;
    if (!available[tab]) notes.push(Notes[tab]);
    if (!available[tab] && button.getAttribute('aria-selected') === 'true') selectTab('chat');
  }
  const note = document.getElementById('unavailable');
  note.textContent = notes.length ? notes.join(' ') + ' Their tabs are disabled.' : '';
  note.hidden = notes.length === 0;
}

export async function loadModels() {
  try {
    const list = await (await request('/models')).json();
    const models = list.data ?? [];
    const outputs = m => m.output_modalities ?? ['text'];
    const chat = models.filter(m => outputs(m).includes('text'));
    // Image models first, then chat models that also draw (Janus-Pro): the tab opens on a model made for pictures.
    const images = models.filter(m => outputs(m).includes('image'))
      .sort((a, b) => Number(outputs(a).includes('text')) - Number(outputs(b).includes('text')));
    const embeddings = models.filter(m => outputs(m).includes('embedding'));
    const videos = models.filter(m => outputs(m).includes('video'));
    setChatModels(chat);
    setImageModels(images);
    setEmbeddingModels(embeddings);
    setVideoModels(videos);
    showAvailability({ images: images.length > 0, embeddings: embeddings.length > 0, video: videos.length > 0, vision: chat.some(takesImages) });
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
