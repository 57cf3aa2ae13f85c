// The live map in a real headless Chromium (Debian's, driven by puppeteer-core), against the
// citysense-api that MapBrowserTest started over a seeded store:
//   node map.test.js URL EXPECTATIONS.json ARTIFACT_DIR
// EXPECTATIONS.json (written by the C++ test) lists the stations with their positions and how each must
// look, and, for the embargo, the values the page must not show. The live scenario answers /v1.1/live
// itself (request interception): one reading, then, when the page comes back with Last-Event-ID, a 401
// as for a revoked key; the live stream of the service is tested against the page elsewhere. Prints what it checks; exits non-zero
// at the first failure, after saving a screenshot of what it saw in ARTIFACT_DIR.
'use strict';

const assert = require('assert');
const fs = require('fs');
const path = require('path');
const puppeteer = require('puppeteer-core');

const [url, expectationsFile, artifacts] = process.argv.slice(2);
const expected = JSON.parse(fs.readFileSync(expectationsFile, 'utf8'));
const chromium = process.env.CHROMIUM || '/usr/bin/chromium';

function rgb(hex) {
  const value = parseInt(hex.slice(1), 16);
  return `rgb(${value >> 16}, ${(value >> 8) & 255}, ${value & 255})`;
}

// Every message the page logs as an error, every script error, every request that fails or is refused.
// A tile the page itself gave up (net::ERR_ABORTED: Leaflet cancels the tiles of a view it left, e.g. when
// it fits the stations after the first draw) is not a failure.
function watchForErrors(page) {
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    const why = request.failure().errorText;
    if (why === 'net::ERR_ABORTED' && request.resourceType() === 'image') return;
    errors.push(`request failed: ${request.url()} ${why}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`${response.status()}: ${response.url()}`);
  });
  return errors;
}

async function markersShown(page) {
  await page.waitForFunction(
    (count) => document.querySelectorAll('.station-marker[data-state]').length === count,
    { timeout: 10000 },
    expected.stations.length,
  );
}

// Where each marker is drawn, its colour, its state and its mark, and where the map puts its station.
async function markers(page) {
  return page.evaluate((stations) => {
    const map = window.citysense.map;
    const box = map.getContainer().getBoundingClientRect();
    return stations.map((station) => {
      const dot = document.querySelector(`.station-marker[data-station="${station.station}"]`);
      if (!dot) return { station: station.station, missing: true };
      const rect = dot.getBoundingClientRect();
      const point = map.latLngToContainerPoint([station.latitude, station.longitude]);
      return {
        station: station.station,
        x: rect.left + rect.width / 2 - box.left,
        y: rect.top + rect.height / 2 - box.top,
        expectedX: point.x,
        expectedY: point.y,
        colour: getComputedStyle(dot).backgroundColor,
        state: dot.dataset.state,
        incomplete: dot.classList.contains('incomplete') && getComputedStyle(dot.querySelector('.incomplete-mark')).display !== 'none',
        focusable: dot.parentElement.tabIndex === 0,
      };
    });
  }, expected.stations);
}

async function checkMarkers(page) {
  const seen = await markers(page);
  for (const station of expected.stations) {
    const marker = seen.find((entry) => entry.station === station.station);
    assert(marker && !marker.missing, `no marker for ${station.station}`);
    assert(Math.abs(marker.x - marker.expectedX) < 1.5 && Math.abs(marker.y - marker.expectedY) < 1.5,
      `${station.station} is drawn at ${marker.x},${marker.y}, not at its position ${marker.expectedX},${marker.expectedY}`);
    assert.strictEqual(marker.colour, rgb(station.colour), `${station.station}'s colour`);
    assert.strictEqual(marker.state, station.state, `${station.station}'s state`);
    assert.strictEqual(marker.incomplete, station.incomplete, `${station.station}'s incomplete mark`);
    assert(marker.focusable, `${station.station}'s marker takes the focus`);
  }
  // Relative places too: west is left, north is up.
  const byName = Object.fromEntries(seen.map((marker) => [marker.station, marker]));
  for (const a of expected.stations) {
    for (const b of expected.stations) {
      if (a.longitude < b.longitude) assert(byName[a.station].x < byName[b.station].x, `${a.station} west of ${b.station}`);
      if (a.latitude > b.latitude) assert(byName[a.station].y < byName[b.station].y, `${a.station} north of ${b.station}`);
    }
  }
  console.log(`ok: ${seen.length} markers at their stations' positions, in their colours`);
}

async function checkPlainBackground(page) {
  const plain = await page.evaluate(() => ({
    tiles: document.querySelectorAll('.leaflet-tile').length,
    noTiles: document.querySelector('#map').classList.contains('no-tiles'),
    scale: document.querySelectorAll('.leaflet-control-scale-line').length,
    labels: [...document.querySelectorAll('.station-label')].map((label) => label.textContent),
    legend: [...document.querySelectorAll('.legend li')].map((item) => ({
      name: item.textContent,
      colour: getComputedStyle(item.querySelector('.swatch')).backgroundColor,
    })),
  }));
  assert.strictEqual(plain.tiles, 0, 'no tile is loaded without a tile layer');
  assert(plain.noTiles, 'the map has its plain background');
  assert(plain.scale > 0, 'a scale is shown');
  for (const station of expected.stations) {
    const street = station.station.split('/').pop();
    assert(plain.labels.includes(street), `the label ${street} is shown`);
  }
  for (const band of expected.legend)
    assert(plain.legend.some((item) => item.name === band.name && item.colour === rgb(band.colour)), `the legend has ${band.name}`);
  console.log('ok: without tiles: a plain background, a scale, the station labels and the legend of the bands');
}

// Tab reaches the station's marker, Enter opens its popup (values, charts), Escape closes it.
async function checkKeyboardPopup(page) {
  const station = expected.popup.station;
  await page.focus('#key');
  let reached = false;
  for (let presses = 0; presses < 40 && !reached; presses += 1) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate((name) => document.activeElement.classList.contains('leaflet-marker-icon') &&
      document.activeElement.querySelector(`.station-marker[data-station="${name}"]`) !== null, station);
  }
  assert(reached, `Tab reaches ${station}'s marker`);
  await page.keyboard.press('Enter');
  await page.waitForSelector('.station-popup h2', { timeout: 5000 });
  assert.strictEqual(await page.$eval('.station-popup h2', (heading) => heading.textContent), station);
  const rows = await page.$$eval('.station-popup tr[data-quantity]', (all) =>
    all.map((row) => ({ quantity: row.dataset.quantity, value: row.querySelector('.value').textContent, age: row.querySelector('.age').textContent })));
  for (const value of expected.popup.values) {
    const row = rows.find((entry) => entry.quantity === value.quantity);
    assert(row, `the popup lists ${value.quantity}`);
    assert.strictEqual(row.value, value.text, `${value.quantity}'s value and unit`);
    assert.match(row.age, / ago$/, `${value.quantity}'s age`);
  }
  await page.waitForFunction((count) => document.querySelectorAll('.station-popup svg.chart').length === count,
    { timeout: 10000 }, expected.popup.charts);
  const points = await page.$$eval('.station-popup svg.chart', (charts) => charts.map((chart) => chart.querySelectorAll('circle').length));
  assert(points.every((count) => count >= 20), `24-hour charts with a point per hour: ${points}`);
  await page.screenshot({ path: path.join(artifacts, 'map-popup.png') });
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('.leaflet-popup'), { timeout: 5000 });
  assert(await page.evaluate((name) => document.activeElement.classList.contains('leaflet-marker-icon') &&
      document.activeElement.querySelector(`.station-marker[data-station="${name}"]`) !== null, station),
    'the focus is back on the marker');
  console.log(`ok: the keyboard opens ${station}'s popup (${rows.length} values, ${points.length} charts) and Escape closes it`);
}

async function checkEmbargo(page) {
  const texts = [];
  for (const station of expected.stations) {
    await page.evaluate((name) => document.querySelector(`.station-marker[data-station="${name}"]`).parentElement.click(), station.station);
    await page.waitForFunction((name) => document.querySelector('.station-popup h2')?.textContent === name, { timeout: 5000 }, station.station);
    texts.push(await page.$eval('.station-popup table', (table) => table.textContent));
  }
  const geojson = await page.evaluate(() => fetch('../latest.geojson').then((response) => response.text()));
  for (const value of expected.hidden) {
    assert(!texts.some((text) => text.includes(value)), `the popups do not show ${value}, younger than the embargo`);
    assert(!geojson.includes(value), `the snapshot has no ${value}`);
  }
  for (const value of expected.shown) assert(texts.some((text) => text.includes(value)), `a popup shows ${value}, older than the embargo`);
  console.log(`ok: without a key nothing younger than the embargo (${expected.hidden.join(', ')} hidden)`);
}

// The key entered once is kept, sent on the stream, a reading recolours its station within 2 s, the
// page resumes with Last-Event-ID, and a refused key is forgotten.
async function checkLiveClient(page, streamRequests) {
  const { key, station, reading, colourAfter } = expected.live;
  await page.type('#key', key);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.localStorage.getItem('citysense.apiKey') !== null, { timeout: 5000 });
  assert.strictEqual(await page.evaluate(() => window.localStorage.getItem('citysense.apiKey')), key, 'the key is kept');
  const shown = (selector) => page.$eval(selector, (element) => getComputedStyle(element).display !== 'none');
  assert(!(await shown('#key-form')) && (await shown('#forget-key')), 'with a key the page offers to forget it');
  const published = Date.now();
  await page.waitForFunction(
    (name, colour) => document.querySelector(`.station-marker[data-station="${name}"]`).dataset.colour === colour,
    { timeout: 2000 }, station, colourAfter);
  console.log(`ok: a live reading recoloured ${station} in ${Date.now() - published} ms`);
  await page.screenshot({ path: path.join(artifacts, 'map-live.png') });
  await page.waitForFunction(() => document.querySelector('#status').textContent.includes('refused'), { timeout: 10000 });
  assert.strictEqual(streamRequests.length, 2, 'the page came back once after the stream ended');
  assert.strictEqual(streamRequests[0].authorization, `Bearer ${key}`, 'the stream is asked for with the key');
  assert.strictEqual(streamRequests[0].lastEventId, undefined, 'the first request resumes nothing');
  assert.strictEqual(streamRequests[1].lastEventId, String(reading.id), 'the second resumes after the last event');
  assert.strictEqual(await page.evaluate(() => window.localStorage.getItem('citysense.apiKey')), null, 'a refused key is forgotten');
  assert((await shown('#key-form')) && !(await shown('#forget-key')), 'the key can be entered again');
  console.log('ok: the stream resumed with Last-Event-ID, and the refused key was forgotten');
}

// A 1x1 PNG: every tile of the stand-in tile server.
const kTile = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

// Answers, in place of servers a test cannot have, the page's /v1.1/live requests (one reading, then a
// 401) and its requests to the tile servers of expected.tileDomain (a tile). The stream requests are listed as they come.
async function standIns(page) {
  const requests = [];
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (expected.tileDomain && url.host.endsWith(`.${expected.tileDomain}`)) {
      request.respond({ status: 200, contentType: 'image/png', body: kTile });
      return;
    }
    if (!expected.live || !url.pathname.endsWith('/v1.1/live')) {
      request.continue();
      return;
    }
    const headers = request.headers();
    requests.push({ authorization: headers.authorization, lastEventId: headers['last-event-id'] });
    const { reading } = expected.live;
    if (requests.length === 1) {
      request.respond({
        status: 200,
        headers: { 'Cache-Control': 'no-cache' },
        contentType: 'text/event-stream',
        body: `: hello\n\nid: ${reading.id}\nevent: observation\ndata: ${JSON.stringify(reading.data)}\n\n`,
      });
    } else {
      request.respond({ status: 401, contentType: 'application/json', body: '{"code":401,"type":"error","message":"unknown API key"}' });
    }
  });
  return requests;
}

// With a tile layer: its tiles are loaded (the page's policy allows their server) and its attribution
// is shown as the plain text it was configured as.
async function checkTiles(page) {
  await page.waitForFunction(() => [...document.querySelectorAll('img.leaflet-tile')].some((tile) => tile.complete && tile.naturalWidth > 0), { timeout: 10000 });
  const shown = await page.evaluate(() => ({
    tiles: [...document.querySelectorAll('img.leaflet-tile')].map((tile) => new URL(tile.src).host),
    noTiles: document.querySelector('#map').classList.contains('no-tiles'),
    attribution: document.querySelector('.leaflet-control-attribution').textContent,
  }));
  assert(shown.tiles.every((host) => host.endsWith(`.${expected.tileDomain}`)), `tiles from ${expected.tileDomain} only: ${shown.tiles}`);
  assert(!shown.noTiles, 'no plain background under tiles');
  assert(shown.attribution.includes(expected.attribution), `the attribution reads ${expected.attribution}: ${shown.attribution}`);
  await page.screenshot({ path: path.join(artifacts, 'map.png') });
  console.log(`ok: ${shown.tiles.length} tiles from the configured server, the attribution as plain text`);
}

async function checkPhone(page) {
  await page.setViewport({ width: 375, height: 667, isMobile: true, hasTouch: true });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const layout = await page.evaluate(() => {
    const map = document.querySelector('#map').getBoundingClientRect();
    return { overflow: document.documentElement.scrollWidth - window.innerWidth, mapWidth: map.width, mapHeight: map.height };
  });
  assert(layout.overflow <= 0, `nothing wider than a phone's screen (${layout.overflow} px too wide)`);
  assert(layout.mapWidth === 375 && layout.mapHeight > 400, `the map fills the phone's screen: ${layout.mapWidth}x${layout.mapHeight}`);
  await page.screenshot({ path: path.join(artifacts, 'map-phone.png') });
  console.log('ok: on a phone the map fills the screen and nothing overflows it');
}

async function main() {
  fs.rmSync(artifacts, { recursive: true, force: true });
  fs.mkdirSync(artifacts, { recursive: true });
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
  const page = await browser.newPage();
  const errors = watchForErrors(page);
  const streamRequests = await standIns(page);
  try {
    await page.setViewport({ width: 1024, height: 768 });
    await page.goto(url, { waitUntil: 'networkidle0' });
    await markersShown(page);
    if (expected.scenario === 'embargo') {
      await page.screenshot({ path: path.join(artifacts, 'map.png') });
      await checkEmbargo(page);
    } else if (expected.scenario === 'tiles') {
      await checkTiles(page);
    } else if (expected.scenario === 'live') {
      await checkLiveClient(page, streamRequests);
    } else {
      await checkMarkers(page);
      await checkPlainBackground(page);
      await page.screenshot({ path: path.join(artifacts, 'map.png') });
      await checkKeyboardPopup(page);
      await checkPhone(page);
    }
    // The stand-in stream's 401 is the one error the live scenario asks for.
    const unexpected = errors.filter((error) => !(expected.scenario === 'live' && /401.*\/v1\.1\/live\)?$/.test(error)));
    assert.deepStrictEqual(unexpected, [], 'the page logs no error');
    console.log('ok: no console error');
  } catch (error) {
    await page.screenshot({ path: path.join(artifacts, 'failure.png') }).catch(() => {});
    if (errors.length) console.error(`errors on the page:\n  ${errors.join('\n  ')}`);
    throw error;
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(`FAILED: ${error.message}`);
  process.exit(1);
});
