// The live map: loads /map/config.json and /latest.geojson, puts every station with a position on the
// map (stations.js says how it looks), refreshes the snapshot every minute, and with an API key (kept in
// localStorage until "Forget the key") reads the snapshot with it and follows /v1.1/live (sse.js),
// recolouring a station as its NO2 and SO2 readings arrive. A popup lists every latest value with its
// unit and age and draws each quantity's last 24 hours (chart.js). Markers take the focus with Tab,
// Enter opens a station, Escape closes it. window.citysense.map is the Leaflet map (for the console and
// the browser tests).
(function () {
  'use strict';

  const { readingBand } = window.CitysenseEaqi;
  const { look, stale, noIndex } = window.CitysenseStations;
  const { LiveStream } = window.CitysenseSse;
  const { hourlyChart } = window.CitysenseChart;

  const kKeyStorage = 'citysense.apiKey';
  const kRefresh = 60000;
  const kHour = 3600000;

  const state = {
    key: window.localStorage.getItem(kKeyStorage) || '',
    stations: new Map(), // Thing id → { properties, marker, liveBands }
    clockSkew: 0, // the server's clock minus the browser's, ms
    live: null,
    refusal: '', // why the last key was refused, shown until another is entered
    openStation: null,
    fitted: false,
  };

  const map = L.map('map', { keyboard: true, zoomControl: true, worldCopyJump: true });
  window.citysense = { map };
  map.setView([0, 0], 2);
  L.control.scale({ imperial: false }).addTo(map);

  const statusLine = document.getElementById('status');
  const keyForm = document.getElementById('key-form');
  const keyInput = document.getElementById('key');
  const forgetButton = document.getElementById('forget-key');

  function setStatus(text) {
    statusLine.textContent = text;
  }

  function parseTime(text) {
    return Date.parse(text.replace(/(\.\d{3})\d+/, '$1'));
  }

  function serverNow() {
    return Date.now() + state.clockSkew;
  }

  function age(time) {
    const seconds = Math.max(0, Math.round((serverNow() - parseTime(time)) / 1000));
    if (seconds < 90) return `${seconds} s ago`;
    if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
    if (seconds < 172800) return `${Math.round(seconds / 3600)} h ago`;
    return `${Math.round(seconds / 86400)} days ago`;
  }

  function headers() {
    return state.key ? { Authorization: 'Bearer ' + state.key } : {};
  }

  class HttpError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function getJson(url) {
    const response = await fetch(url, { headers: headers(), cache: 'no-store' });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new HttpError(response.status, body.message || response.statusText);
    return body;
  }

  function element(name, className, text) {
    const node = document.createElement(name);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // The legend: every band, then stale, no index and the incomplete mark.
  function addLegend() {
    const legend = L.control({ position: 'bottomright' });
    legend.onAdd = () => {
      const box = element('section', 'legend');
      box.setAttribute('aria-label', 'Legend');
      box.appendChild(element('h2', '', 'Air quality index'));
      const list = element('ul');
      const entry = (colour, name, className) => {
        const item = element('li');
        const swatch = element('span', 'swatch' + (className ? ' ' + className : ''));
        swatch.style.background = colour;
        item.append(swatch, element('span', '', name));
        list.appendChild(item);
      };
      for (const band of window.CitysenseEaqi.bands) entry(band.colour, band.name);
      entry(stale.colour, stale.name);
      entry(noIndex.colour, noIndex.name);
      entry('#FFFFFF', 'Incomplete hour', 'incomplete');
      box.appendChild(list);
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    legend.addTo(map);
  }

  // Leaflet writes an attribution as HTML: the configured one is plain text.
  function escapeHtml(text) {
    const escapes = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
    return text.replace(/[&<>"']/g, (character) => escapes[character]);
  }

  function streetOf(properties) {
    return properties.station.split('/').pop();
  }

  // The marker's icon is made once (so that a recoloured marker keeps the focus), then only changed.
  function paint(station) {
    const appearance = look(station.properties, station.liveBands);
    const dot = station.dot;
    dot.style.background = appearance.colour;
    dot.dataset.state = appearance.state;
    dot.dataset.colour = appearance.colour;
    dot.classList.toggle('incomplete', appearance.incomplete);
    const icon = station.marker.getElement();
    icon.setAttribute('role', 'button');
    icon.setAttribute(
      'aria-label',
      `${station.properties.station}: ${appearance.name}${appearance.incomplete ? ', incomplete hour' : ''}`,
    );
    if (state.openStation === station) renderValues(station);
  }

  function addStation(properties, position) {
    const dot = element('div', 'station-marker');
    dot.dataset.station = properties.station;
    dot.appendChild(element('span', 'incomplete-mark', '!'));
    const station = { properties, liveBands: {}, dot, popup: null, popupBody: null };
    const icon = L.divIcon({ html: dot, className: 'station-icon', iconSize: [24, 24], iconAnchor: [12, 12] });
    station.marker = L.marker(position, { icon, keyboard: true, title: properties.station, riseOnHover: true });
    station.marker.bindTooltip(streetOf(properties), {
      permanent: true,
      direction: 'right',
      offset: [12, 0],
      className: 'station-label',
    });
    station.marker.on('click', () => openStation(station));
    station.marker.addTo(map);
    station.marker.getElement().addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        openStation(station);
      }
    });
    return station;
  }

  function showFeature(feature) {
    if (!feature.geometry) return;
    const properties = feature.properties;
    const id = properties['Thing@iot.id'];
    const [longitude, latitude] = feature.geometry.coordinates;
    let station = state.stations.get(id);
    if (!station) {
      station = addStation(properties, [latitude, longitude]);
      state.stations.set(id, station);
    } else {
      station.properties = properties;
      station.marker.setLatLng([latitude, longitude]);
    }
    paint(station);
  }

  async function loadSnapshot() {
    const requested = Date.now();
    const snapshot = await getJson('../latest.geojson');
    state.clockSkew = parseTime(snapshot.time) - (requested + Date.now()) / 2;
    for (const feature of snapshot.features) showFeature(feature);
    if (!state.fitted && state.stations.size > 0) {
      const bounds = L.latLngBounds([...state.stations.values()].map((station) => station.marker.getLatLng()));
      map.fitBounds(bounds, { paddingTopLeft: [48, 48], paddingBottomRight: [120, 48], maxZoom: 15 });
      state.fitted = true;
    }
    return snapshot;
  }

  // The popup: the station's latest values, then a chart per quantity.
  function renderValues(station) {
    const table = station.popupBody.querySelector('table');
    table.replaceChildren();
    const caption = element('caption', '', 'Latest values');
    table.appendChild(caption);
    const latest = station.properties.latest || {};
    if (Object.keys(latest).length === 0) table.appendChild(element('tr')).appendChild(element('td', '', 'No readings'));
    for (const [quantity, value] of Object.entries(latest)) {
      const row = element('tr');
      row.dataset.quantity = quantity;
      row.append(element('th', '', quantity), element('td', 'value', `${Number(value.value.toFixed(3))} ${value.unit}`));
      row.appendChild(element('td', value.stale ? 'age stale' : 'age', age(value.time)));
      table.appendChild(row);
    }
    const appearance = look(station.properties, station.liveBands);
    station.popupBody.querySelector('.band').textContent =
      appearance.name + (appearance.incomplete ? ' (incomplete hour: a pollutant has too few readings)' : '');
  }

  async function addCharts(station, body) {
    const to = serverNow();
    const from = Math.floor(to / kHour) * kHour - 23 * kHour;
    const charts = body.querySelector('.charts');
    for (const [quantity, value] of Object.entries(station.properties.latest || {})) {
      const figure = element('figure');
      figure.appendChild(element('figcaption', '', `${quantity}, last 24 hours`));
      charts.appendChild(figure);
      const url =
        `../v1.1/Datastreams(${value['Datastream@iot.id']})/Aggregates?interval=1h` +
        `&from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`;
      try {
        const aggregates = await getJson(url);
        const chart = hourlyChart(aggregates.value, { from, to, label: quantity, unit: aggregates.unit });
        figure.appendChild(chart || element('p', 'no-data', 'No readings in the last 24 hours'));
      } catch (error) {
        figure.appendChild(element('p', 'no-data', error.status === 422 ? 'Too few readings for hourly means' : error.message));
      }
      if (state.openStation === station) station.popup.update(); // the popup grew: fit it in the map again
    }
  }

  function openStation(station) {
    if (state.openStation === station && map.hasLayer(station.popup)) return;
    const body = element('div', 'station-popup');
    body.append(element('h2', '', station.properties.station), element('p', 'band'), element('table', 'values'));
    body.appendChild(element('div', 'charts'));
    station.popupBody = body;
    state.openStation = station;
    renderValues(station);
    station.popup = L.popup({ maxWidth: Math.min(340, window.innerWidth - 48), autoPanPadding: [16, 16] })
      .setLatLng(station.marker.getLatLng())
      .setContent(body)
      .openOn(map);
    addCharts(station, body);
  }

  map.on('popupclose', (event) => {
    const station = state.openStation;
    if (!station || event.popup !== station.popup) return;
    state.openStation = null;
    const icon = station.marker.getElement();
    if (icon) icon.focus();
  });

  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && state.openStation) map.closePopup();
  });

  // Live readings: the reading's value is the station's latest, and a NO2 or SO2 reading sets its band.
  function onReading(event) {
    if (event.type !== 'observation') return;
    const reading = JSON.parse(event.data);
    const station = state.stations.get(reading['Thing@iot.id']);
    if (!station) return;
    const quantity = reading.ObservedProperty;
    station.properties.latest = station.properties.latest || {};
    station.properties.latest[quantity] = {
      ...(station.properties.latest[quantity] || {}),
      'Datastream@iot.id': reading['Datastream@iot.id'],
      value: reading.result,
      unit: reading.unit,
      time: reading.phenomenonTime,
      stale: false,
      quality: reading.resultQuality,
    };
    const band = readingBand(quantity, reading.result, reading.unit);
    if (band !== null) station.liveBands[quantity] = band;
    paint(station);
  }

  function startLive() {
    stopLive();
    state.live = new LiveStream('../v1.1/live', state.key, {
      onEvent: onReading,
      onState: (streamState, detail) => {
        if (streamState === 'open') setStatus('Live: readings appear as they arrive.');
        else if (streamState === 'reconnecting') setStatus(`Live stream interrupted: trying again in ${Math.round(detail / 1000)} s…`);
        else refuseKey(detail);
      },
    });
    state.live.start();
  }

  function stopLive() {
    if (state.live) state.live.stop();
    state.live = null;
    for (const station of state.stations.values()) station.liveBands = {};
  }

  function refuseKey(message) {
    stopLive();
    forgetKey();
    state.refusal = message;
    setStatus(publicStatus());
    refresh();
  }

  function forgetKey() {
    state.key = '';
    window.localStorage.removeItem(kKeyStorage);
    keyForm.hidden = false;
    forgetButton.hidden = true;
  }

  async function refresh() {
    try {
      await loadSnapshot();
      if (!state.key) setStatus(`${publicStatus()} Updated ${new Date().toLocaleTimeString()}.`);
    } catch (error) {
      if (state.key && error.status === 401) refuseKey(error.message);
      else setStatus(`The stations could not be loaded: ${error.message}. Trying again in a minute.`);
    }
  }

  // What the page shows without a key, and why when a key was refused (kept over the refreshes).
  function publicStatus() {
    const shown = 'showing the public data, delayed by the embargo.';
    return state.refusal ? `The key was refused (${state.refusal}): ${shown}` : `Public data: ${shown}`;
  }

  async function useKey(key) {
    state.key = key;
    state.refusal = '';
    try {
      await loadSnapshot();
    } catch (error) {
      if (error.status === 401 || error.status === 403) {
        refuseKey(error.message);
        return;
      }
    }
    window.localStorage.setItem(kKeyStorage, key);
    keyForm.hidden = true;
    forgetButton.hidden = false;
    setStatus('Live: connecting…');
    startLive();
  }

  keyForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const key = keyInput.value.trim();
    keyInput.value = '';
    if (key) useKey(key);
  });

  forgetButton.addEventListener('click', () => {
    stopLive();
    forgetKey();
    refresh();
    keyInput.focus();
  });

  async function start() {
    addLegend();
    try {
      const config = await getJson('config.json');
      if (config.tiles) {
        L.tileLayer(config.tiles, { maxZoom: 19, attribution: escapeHtml(config.tilesAttribution) }).addTo(map);
      } else {
        map.getContainer().classList.add('no-tiles');
      }
    } catch (error) {
      map.getContainer().classList.add('no-tiles');
    }
    if (state.key) await useKey(state.key);
    else await refresh();
    window.setInterval(refresh, kRefresh);
  }

  start();
})();
