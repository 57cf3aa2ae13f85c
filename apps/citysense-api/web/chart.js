// The 24-hour chart of a popup, drawn as inline SVG (no chart library): the hourly means of one
// Datastream from its Aggregates, a line broken where an hour has no data, a dot per hour (hollow
// where the hour is not valid), the lowest and highest mean on the left, the time along the bottom.
(function (exports) {
  'use strict';

  const kSvg = 'http://www.w3.org/2000/svg';
  const kWidth = 300;
  const kHeight = 96;
  const kLeft = 44;
  const kRight = 6;
  const kTop = 8;
  const kBottom = 20;

  function element(name, attributes, text) {
    const node = document.createElementNS(kSvg, name);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function rounded(value) {
    return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(1);
  }

  /**
   * An <svg> of `periods` ({ start, mean, valid } of the Aggregates API) between the times `from` and
   * `to` (ms), `label` naming the quantity and `unit` its unit; null when no period has a mean.
   */
  function hourlyChart(periods, { from, to, label, unit }) {
    const points = periods
      .filter((period) => period.mean !== null && period.mean !== undefined)
      .map((period) => ({ time: Date.parse(period.start) + 1800000, mean: period.mean, valid: period.valid }));
    if (points.length === 0) return null;
    let low = Math.min(...points.map((point) => point.mean));
    let high = Math.max(...points.map((point) => point.mean));
    const [bottom, top] = low === high ? [low - 1, high + 1] : [low, high];
    const x = (time) => kLeft + ((time - from) / (to - from)) * (kWidth - kLeft - kRight);
    const y = (value) => kTop + (1 - (value - bottom) / (top - bottom)) * (kHeight - kTop - kBottom);
    const svg = element('svg', {
      viewBox: `0 0 ${kWidth} ${kHeight}`,
      width: '100%',
      role: 'img',
      class: 'chart',
      'aria-label': `${label}: hourly means of the last 24 hours, from ${rounded(low)} to ${rounded(high)} ${unit}`,
    });
    svg.appendChild(element('title', {}, `${label}, hourly means (${unit})`));
    svg.appendChild(element('rect', { x: kLeft, y: kTop, width: kWidth - kLeft - kRight, height: kHeight - kTop - kBottom, fill: '#f7f7f7', stroke: '#ccc' }));
    let path = '';
    let previous = null;
    for (const point of points) {
      const joined = previous !== null && point.time - previous.time <= 3600000;
      path += `${joined ? 'L' : 'M'}${x(point.time).toFixed(1)} ${y(point.mean).toFixed(1)} `;
      previous = point;
    }
    svg.appendChild(element('path', { d: path.trim(), fill: 'none', stroke: '#1f4e79', 'stroke-width': 1.5 }));
    for (const point of points) {
      svg.appendChild(element('circle', {
        cx: x(point.time).toFixed(1),
        cy: y(point.mean).toFixed(1),
        r: 2.2,
        fill: point.valid ? '#1f4e79' : '#ffffff',
        stroke: '#1f4e79',
      }));
    }
    const text = (content, attributes) =>
      svg.appendChild(element('text', { 'font-size': 10, fill: '#333', ...attributes }, content));
    text(`${rounded(top)}`, { x: kLeft - 4, y: kTop + 8, 'text-anchor': 'end' });
    text(`${rounded(bottom)}`, { x: kLeft - 4, y: kHeight - kBottom, 'text-anchor': 'end' });
    text(unit, { x: kLeft - 4, y: (kHeight - kBottom + kTop) / 2 + 4, 'text-anchor': 'end' });
    text('−24 h', { x: kLeft, y: kHeight - 6, 'text-anchor': 'start' });
    text('now', { x: kWidth - kRight, y: kHeight - 6, 'text-anchor': 'end' });
    return svg;
  }

  exports.hourlyChart = hourlyChart;
})(typeof module === 'object' ? module.exports : (window.CitysenseChart = {}));
