// The image-generation tab: b64_json results into a gallery, each with a download link.
import { element, request, showError } from './api.js';

const $ = id => document.getElementById(id);

let models = [];

export function setImageModels(list) {
  models = list;
  const select = $('image-model');
  select.replaceChildren(...list.map(m => element('option', null, m.id)));
  const none = list.length === 0;
  $('image-generate').disabled = none;
  $('image-generate').title = none ? 'No image model is loaded.' : '';
  const sizes = list[0]?.sizes ?? [];
  if (sizes.length && !sizes.includes($('image-size').value) && !$('image-size').dataset.touched) $('image-size').value = sizes[0];
}

// Another model chosen: a size it does not draw (Janus-Pro draws only 384x384) becomes its first size.
function modelChosen() {
  const sizes = models.find(m => m.id === $('image-model').value)?.sizes ?? [];
  if (sizes.length && !sizes.includes($('image-size').value.trim())) $('image-size').value = sizes[0];
}

async function generate(event) {
  event.preventDefault();
  showError(null);
  const body = { model: $('image-model').value, prompt: $('image-prompt').value, size: $('image-size').value.trim(), n: 1, response_format: 'b64_json' };
  if ($('image-negative').value.trim()) body.negative_prompt = $('image-negative').value.trim();
  if ($('image-steps').value !== '') body.steps = Number($('image-steps').value);
  if ($('image-seed').value !== '') body.seed = Number($('image-seed').value);
  const button = $('image-generate');
  button.disabled = true;
  try {
    const result = await (await request('/images/generations', body)).json();
    for (const [i, image] of (result.data ?? []).entries()) {
      const type = result.output_format ? 'image/' + result.output_format : 'image/png';
      const src = `data:${type};base64,${image.b64_json}`;
      const figure = element('figure');
      const img = element('img');
      img.src = src;
      img.alt = body.prompt;
      const caption = element('figcaption');
      const link = element('a', null, 'Download');
      link.href = src;
      link.download = `image-${body.seed ?? Date.now()}-${i}.${type.split('/')[1]}`;
      caption.append(element('span', 'muted', `${body.size}${body.seed === undefined ? '' : ' · seed ' + body.seed} `), link);
      figure.append(img, caption);
      $('image-gallery').prepend(figure);
    }
  } catch (e) {
    showError(e);
  } finally {
    button.disabled = false;
  }
}

export function initImages() {
  $('image-form').addEventListener('submit', generate);
  $('image-model').addEventListener('change', modelChosen);
  $('image-size').addEventListener('input', () => { $('image-size').dataset.touched = '1'; });
}
