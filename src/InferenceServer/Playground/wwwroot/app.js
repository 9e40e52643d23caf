// The playground's entry: tabs, the API key (kept in localStorage), the model list shared by the tabs.
import { request, showError } from './api.js';
import { initChat, setChatModels } from './chat.js';
import { initImages, setImageModels } from './images.js';
import { initEmbeddings, setEmbeddingModels } from './embeddings.js';
import { initStatus, setStatusVisible } from './status.js';

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

export async function loadModels() {
  try {
    const list = await (await request('/models')).json();
    const models = list.data ?? [];
    const outputs = m => m.output_modalities ?? ['text'];
    setChatModels(models.filter(m => outputs(m).includes('text')));
    setImageModels(models.filter(m => outputs(m).includes('image')));
    setEmbeddingModels(models.filter(m => outputs(m).includes('embedding')));
    document.body.dataset.models = 'loaded';
    showError(null);
  } catch (e) {
    document.body.dataset.models = 'failed';
    showError(e);
  }
}

const key = document.getElementById('api-key');
key.value = localStorage.getItem(KeyStorage) ?? '';
key.addEventListener('change', () => {
  localStorage.setItem(KeyStorage, key.value.trim());
  loadModels();
});
for (const button of document.querySelectorAll('#tabs button')) {
  button.addEventListener('click', () => selectTab(button.dataset.tab));
}

initChat();
initImages();
initEmbeddings();
initStatus();
loadModels();
