// A small Markdown subset rendered as DOM nodes built with textContent: model output is text, never markup.
import { element } from './api.js';

const Inline = /(`[^`]+`|\*\*[^*]+\*\*|\*[^*\s][^*]*\*)/;

function inline(parent, text) {
  for (const part of text.split(Inline)) {
    if (!part) continue;
    if (part.startsWith('`') && part.endsWith('`') && part.length > 1) parent.append(element('code', null, part.slice(1, -1)));
    else if (part.startsWith('**') && part.endsWith('**') && part.length > 4) parent.append(element('strong', null, part.slice(2, -2)));
    else if (part.startsWith('*') && part.endsWith('*') && part.length > 2) parent.append(element('em', null, part.slice(1, -1)));
    else parent.append(document.createTextNode(part));
  }
}

export function renderMarkdown(target, text) {
  target.replaceChildren();
  const lines = text.split('\n');
  let paragraph = null;
  let list = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = line.match(/^```\s*([\w+-]*)/);
    if (fence) {
      const code = [];
      for (i++; i < lines.length && !lines[i].startsWith('```'); i++) code.push(lines[i]);
      const pre = element('pre');
      const c = element('code', null, code.join('\n'));
      if (fence[1]) c.dataset.language = fence[1];
      pre.append(c);
      target.append(pre);
      paragraph = list = null;
      continue;
    }
    const heading = line.match(/^(#{1,4})\s+(.*)$/);
    const item = line.match(/^\s*(?:[-*]|\d+\.)\s+(.*)$/);
    if (heading) {
      const h = element('h' + (heading[1].length + 2));
      inline(h, heading[2]);
      target.append(h);
      paragraph = list = null;
    } else if (item) {
      if (!list) { list = element('ul'); target.append(list); }
      const li = element('li');
      inline(li, item[1]);
      list.append(li);
      paragraph = null;
    } else if (line.trim() === '') {
      paragraph = list = null;
    } else {
      if (!paragraph) { paragraph = element('p'); target.append(paragraph); } else paragraph.append(element('br'));
      inline(paragraph, line);
      list = null;
    }
  }
}
