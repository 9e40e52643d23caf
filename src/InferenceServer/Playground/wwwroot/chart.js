// A line chart on a canvas, drawn by hand: the last samples, an axis from 0 to the largest value.
import { element } from './api.js';

const Capacity = 90;

export class Chart {
  constructor(parent, id, title, unit, digits = 1) {
    this.unit = unit;
    this.digits = digits;
    this.samples = [];
    this.root = element('div', 'chart');
    this.root.id = 'chart-' + id;
    const heading = element('h3', null, title);
    this.value = element('span', 'value', '–');
    heading.append(this.value);
    this.canvas = element('canvas');
    this.root.append(heading, this.canvas);
    parent.append(this.root);
  }

  add(value) {
    this.samples.push(value);
    if (this.samples.length > Capacity) this.samples.shift();
    this.root.dataset.samples = String(this.samples.length);
    this.value.textContent = value === null ? '–' : `${value.toFixed(this.digits)} ${this.unit}`.trim();
    this.draw();
  }

  draw() {
    const canvas = this.canvas;
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth || 320, height = canvas.clientHeight || 120;
    canvas.width = width * ratio;
    canvas.height = height * ratio;
    const g = canvas.getContext('2d');
    g.scale(ratio, ratio);
    g.clearRect(0, 0, width, height);
    const top = Math.max(1e-9, ...this.samples.filter(v => v !== null));
    g.strokeStyle = '#d8dce4';
    g.beginPath(); g.moveTo(0, height - 0.5); g.lineTo(width, height - 0.5); g.stroke();
    g.fillStyle = '#667';
    g.font = '10px system-ui';
    g.fillText(top.toFixed(this.digits), 2, 10);
    g.strokeStyle = '#2456d6';
    g.lineWidth = 1.5;
    g.beginPath();
    let pen = false;
    this.samples.forEach((v, i) => {
      if (v === null) { pen = false; return; }
      const x = (i / (Capacity - 1)) * width;
      const y = height - 2 - (v / top) * (height - 14);
      if (pen) g.lineTo(x, y); else g.moveTo(x, y);
      pen = true;
    });
    g.stroke();
  }
}
