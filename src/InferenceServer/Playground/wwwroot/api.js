// Calls to the server's API: the key from the page, errors as the envelope's message.
const keyField = () => document.getElementById('api-key');

export function headers(json = true) {
  const h = {};
  if (json) h['Content-Type'] = 'application/json';
  const key = keyField().value.trim();
  if (key) h['Authorization'] = 'Bearer ' + key;
  return h;
}

export class ApiError extends Error {}

export async function errorOf(response) {
  let message = `HTTP ${response.status}`;
  try {
    const body = await response.json();
    const error = body.error ?? body;
    if (error && typeof error.message === 'string') message = error.message;
  } catch { /* not JSON: keep the status */ }
  return new ApiError(message);
}

export async function request(path, body, signal, method) {
  const response = await fetch(path, {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    headers: headers(body !== undefined),
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
  if (!response.ok) throw await errorOf(response);
  return response;
}

export function showError(error) {
  const box = document.getElementById('error');
  if (!error) { box.hidden = true; box.textContent = ''; return; }
  box.textContent = error instanceof Error ? error.message : String(error);
  box.hidden = false;
}

export function element(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}
