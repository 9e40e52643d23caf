// The embeddings tab: cosine similarity of each pair of sentences as a heat map (a DOM grid).
import { element, request, showError } from './api.js';

const $ = id => document.getElementById(id);

export function setEmbeddingModels(list) {
  $('embed-model').replaceChildren(...list.map(m => element('option', null, m.id)));
  $('embed-run').disabled = list.length === 0;
  $('embed-run').title = list.length === 0 ? 'No embedding model is loaded.' : '';
}

function cosine(a, b) {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
  return dot / (Math.sqrt(na) * Math.sqrt(nb));
}

function draw(sentences, vectors) {
  const grid = $('embed-heatmap');
  grid.style.gridTemplateColumns = `auto repeat(${sentences.length}, auto)`;
  const cells = [element('div')];
  sentences.forEach((s, j) => { const l = element('div', 'label', `${j + 1}`); l.title = s; cells.push(l); });
  sentences.forEach((s, i) => {
    const label = element('div', 'label', `${i + 1}. ${s}`);
    label.title = s;
    cells.push(label);
    sentences.forEach((_, j) => {
      const value = cosine(vectors[i], vectors[j]);
      const cell = element('div', 'cell', value.toFixed(2));
      cell.dataset.row = String(i);
      cell.dataset.column = String(j);
      const t = Math.max(0, Math.min(1, value));
      cell.style.background = `hsl(220 70% ${Math.round(96 - t * 50)}%)`;
      cell.style.color = t > 0.6 ? '#fff' : '#1d2330';
      cells.push(cell);
    });
  });
  grid.replaceChildren(...cells);
}

async function run(event) {
  event.preventDefault();
  showError(null);
  const sentences = $('embed-input').value.split('\n').map(s => s.trim()).filter(Boolean);
  if (sentences.length === 0) return;
  try {
    const result = await (await request('/embeddings', { model: $('embed-model').value, input: sentences })).json();
    const vectors = [...result.data].sort((a, b) => a.index - b.index).map(d => d.embedding);
    draw(sentences, vectors);
  } catch (e) {
    showError(e);
  }
}

export function initEmbeddings() {
  $('embed-form').addEventListener('submit', run);
}
