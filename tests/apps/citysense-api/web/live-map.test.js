// The live map end to end in a real headless Chromium (Debian's, driven by puppeteer-core), against the
// real broker, gateway, ingest and citysense-api that LiveMapEndToEndTest started:
//   node live-map.test.js URL EXPECTATIONS.json ARTIFACT_DIR
// EXPECTATIONS.json (written by the C++ test) names the gateway's station, two keys with live:read, the
// NO2 levels the gateway can be set to with their colours, the gateway's process id and the conf.d
// fragment that sets its level, the witness subscriber's command (mosquitto_sub -F '%U %p': it prints
// when it got each reading) and the command that revokes the viewer's key.
// Three pages, each in a browser context of its own (its own localStorage):
//   viewer   enters its key, follows the stream, recolours when the gateway goes Poor (within the
//            limit, from the broker's delivery of the first Poor reading), then has its key revoked;
//   witness  follows the stream with the other key, and shows that the gateway's Very poor readings
//            were on the stream after the viewer's key was revoked, while the viewer did not recolour;
//   public   without a key: nothing younger than the embargo, in the snapshot or in a popup.
// Every condition is waited for with a generous limit (a loaded machine); the one time measured is the
// recolouring's. Prints what it checks; exits non-zero at the first failure, after saving a screenshot
// of each page in ARTIFACT_DIR.
'use strict';

const assert = require('assert');
const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const readline = require('readline');
const puppeteer = require('puppeteer-core');

const [url, expectationsFile, artifacts] = process.argv.slice(2);
const expected = JSON.parse(fs.readFileSync(expectationsFile, 'utf8'));
const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
const { good, poor, veryPoor } = expected.levels;

// How long a condition that must come may take on a loaded 2-core machine: a hang, not a timing check.
const kGenerous = 60000;

// The readings of the station's NO2 topic as the broker delivered them to a subscriber of the test's
// own: { time (ms since the epoch, when mosquitto_sub got it), value }.
function startWitness() {
  const [command, ...args] = expected.witness;
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const deliveries = [];
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const space = line.indexOf(' ');
    const payload = line.slice(space + 1);
    deliveries.push({ time: Number(line.slice(0, space)) * 1000, value: Number(payload.split('\t')[1]) });
  });
  return { child, deliveries };
}

async function until(condition, what) {
  const end = Date.now() + kGenerous;
  for (;;) {
    const value = condition();
    if (value) return value;
    assert(Date.now() < end, `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// The gateway measures `level` from now on: its driver's mean in a conf.d fragment, then SIGHUP.
function setGatewayLevel(level) {
  fs.writeFileSync(expected.gateway.fragment, `[driver.no2]\nmean = ${level.ppb}\n`);
  process.kill(expected.gateway.pid, 'SIGHUP');
}

// Every message the page logs as an error, every script error, every request that fails or is refused,
// each with its time.
function watchForErrors(page) {
  const errors = [];
  const add = (text) => errors.push({ text, time: Date.now() });
  page.on('console', (message) => {
    if (message.type() === 'error') add(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => add(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    const why = request.failure().errorText;
    // The page ends its own stream (AbortController) when its key is refused or forgotten.
    if (why === 'net::ERR_ABORTED' && request.url().endsWith('/v1.1/live')) return;
    add(`request failed: ${request.url()} ${why}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) add(`${response.status()}: ${response.url()}`);
  });
  return errors;
}

// A page in a browser context of its own, its station shown. `streams` lists its /v1.1/live
// requests and their answers' statuses as they come.
async function openPage(browser, name) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  const errors = watchForErrors(page);
  const streams = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/v1.1/live')) streams.push({ time: Date.now(), status: null });
  });
  page.on('response', (response) => {
    if (response.url().endsWith('/v1.1/live')) streams[streams.length - 1].status = response.status();
  });
  await page.setViewport({ width: 1024, height: 768 });
  await page.goto(url, { waitUntil: 'networkidle0', timeout: kGenerous });
  await page.waitForSelector(`.station-marker[data-station="${expected.station}"][data-state]`, { timeout: kGenerous });
  return { name, page, errors, streams };
}

async function screenshot(view, file) {
  await view.page.screenshot({ path: path.join(artifacts, file) });
}

function colourOf(view) {
  return view.page.$eval(`.station-marker[data-station="${expected.station}"]`, (dot) => dot.dataset.colour);
}

async function colourBecomes(view, colour) {
  await view.page.waitForFunction(
    (name, wanted) => document.querySelector(`.station-marker[data-station="${name}"]`).dataset.colour === wanted,
    { timeout: kGenerous },
    expected.station,
    colour,
  );
}

// From now on the page notes every colour its station's marker is painted, with the time
// (window.colourLog): the time of a recolouring is the page's own, not when a poll noticed it.
async function recordColours(view) {
  await view.page.evaluate((name) => {
    const dot = document.querySelector(`.station-marker[data-station="${name}"]`);
    window.colourLog = [{ colour: dot.dataset.colour, time: Date.now() }];
    new MutationObserver(() => window.colourLog.push({ colour: dot.dataset.colour, time: Date.now() }))
      .observe(dot, { attributes: true, attributeFilter: ['data-colour'] });
  }, expected.station);
}

function colourLog(view) {
  return view.page.evaluate(() => window.colourLog);
}

function statusLine(view) {
  return view.page.$eval('#status', (status) => status.textContent);
}

// Enters the key in the page's form; the page follows the stream once it says so.
async function enterKey(view, key) {
  await view.page.type('#key', key);
  await view.page.keyboard.press('Enter');
  await view.page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('Live: readings'), { timeout: kGenerous });
}

// With a key both pages follow the stream, and the gateway's Good readings colour the station.
async function followTheStream(viewer, witnessPage) {
  await enterKey(viewer, expected.keys.viewer);
  await enterKey(witnessPage, expected.keys.witness);
  await colourBecomes(viewer, good.colour);
  await colourBecomes(witnessPage, good.colour);
  console.log(`ok: with a key both pages follow the stream: ${expected.station} is ${good.name}`);
}

// The gateway goes Poor: the viewer's marker turns Poor within the limit of the broker delivering the
// first Poor reading.
async function recolourWithinTheLimit(viewer, witness) {
  await recordColours(viewer);
  await until(() => witness.deliveries.length > 0, 'the witness to get a reading');
  setGatewayLevel(poor);
  await colourBecomes(viewer, poor.colour);
  const delivered = await until(() => witness.deliveries.find((delivery) => delivery.value === poor.ppb), 'the witness to get the first Poor reading');
  const recoloured = (await colourLog(viewer)).find((entry) => entry.colour === poor.colour);
  const latency = Math.round(recoloured.time - delivered.time);
  console.log(`ok: the gateway's first ${poor.name} reading (${poor.ppb} ppb) recoloured the viewer's marker ${latency} ms after the broker delivered it (limit ${expected.latencyLimitMs} ms)`);
  assert(latency <= expected.latencyLimitMs, `recoloured ${latency} ms after the broker's delivery: more than ${expected.latencyLimitMs} ms`);
  await screenshot(viewer, 'map-live.png');
}

// The viewer's key is revoked: its stream ends, the page says the key was refused, forgets it and
// shows the public data (the station stale: nothing younger than the embargo). Then the gateway goes
// Very poor: the witness page shows it from the stream, the viewer neither recolours nor asks for the
// stream again.
async function revocationStopsTheStream(viewer, witnessPage) {
  const revoked = Date.now();
  execFileSync(expected.revoke[0], expected.revoke.slice(1), { stdio: 'pipe' });
  await viewer.page.waitForFunction(() => document.querySelector('#status').textContent.includes('The key was refused'), { timeout: kGenerous });
  await colourBecomes(viewer, expected.staleColour);
  const refused = viewer.streams.findIndex((stream) => stream.time >= revoked && stream.status === 401);
  assert(refused >= 0, `the stream was asked for again and refused with 401: ${JSON.stringify(viewer.streams)}`);
  assert.strictEqual(await viewer.page.evaluate(() => window.localStorage.getItem('citysense.apiKey')), null, 'the revoked key is forgotten');
  assert(await viewer.page.$eval('#key-form', (form) => !form.hidden), 'a key can be entered again');
  console.log(`ok: revoking the key ended the viewer's stream: "${await statusLine(viewer)}"`);
  await screenshot(viewer, 'map-revoked.png');

  const before = (await colourLog(viewer)).length;
  setGatewayLevel(veryPoor);
  await colourBecomes(witnessPage, veryPoor.colour);
  const since = (await colourLog(viewer)).slice(before);
  assert(since.every((entry) => entry.colour === expected.staleColour), `the viewer recoloured after its key was revoked: ${JSON.stringify(since)}`);
  assert.strictEqual(await colourOf(viewer), expected.staleColour, 'the viewer still shows the public data');
  assert.strictEqual(viewer.streams.length, refused + 1, `the viewer asked for the stream again after the 401: ${JSON.stringify(viewer.streams)}`);
  console.log(`ok: the gateway's ${veryPoor.name} readings reached the witness page's stream; the viewer stayed on the public data and did not ask for the stream again`);
  await screenshot(witnessPage, 'map-witness.png');
  return revoked;
}

// Without a key, nothing younger than the embargo: not in the snapshot, not in the popup.
async function publicSeesOnlyTheEmbargoed(view) {
  assert.strictEqual(await colourOf(view), expected.staleColour, 'without a key the station is stale');
  const snapshot = await view.page.evaluate(() => fetch('../latest.geojson').then((response) => response.json()));
  const newest = Date.parse(snapshot.time) - expected.embargoSeconds * 1000;
  const times = snapshot.features.flatMap((feature) => Object.values(feature.properties.latest || {}).map((value) => value.time));
  assert(times.length > 0, 'the snapshot has the older readings');
  for (const time of times) assert(Date.parse(time) <= newest, `the snapshot has a reading of ${time}, younger than the embargo`);
  await view.page.evaluate((name) => document.querySelector(`.station-marker[data-station="${name}"]`).parentElement.click(), expected.station);
  await view.page.waitForFunction((name) => document.querySelector('.station-popup h2')?.textContent === name, { timeout: kGenerous }, expected.station);
  const text = await view.page.$eval('.station-popup table', (table) => table.textContent);
  assert(text.includes(expected.oldText), `the popup shows ${expected.oldText}, older than the embargo: ${text}`);
  for (const level of [good, poor, veryPoor]) assert(!text.includes(String(level.ppb)), `the popup shows ${level.ppb}, younger than the embargo: ${text}`);
  console.log(`ok: without a key nothing younger than the embargo (the snapshot's newest reading is of ${times.sort().pop()}, the popup shows ${expected.oldText})`);
  await screenshot(view, 'map-public.png');
}

// No page logged an error, except the viewer's 401s after its key was revoked (the stream asked
// for again, or a snapshot refreshed with the key in between).
function checkErrors(views, viewer, revoked) {
  const unexpected = views.flatMap((view) => view.errors
    .filter((error) => !(view === viewer && error.time >= revoked && /401.*\/(v1\.1\/live|latest\.geojson)\)?$/.test(error.text)))
    .map((error) => `${view.name}: ${error.text}`));
  assert.deepStrictEqual(unexpected, [], 'the pages log no error');
  console.log('ok: no console error');
}

async function main() {
  fs.rmSync(artifacts, { recursive: true, force: true });
  fs.mkdirSync(artifacts, { recursive: true });
  const witness = startWitness();
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
  const views = [];
  try {
    const viewer = await openPage(browser, 'viewer');
    const witnessPage = await openPage(browser, 'witness');
    views.push(viewer, witnessPage);
    await followTheStream(viewer, witnessPage);
    await recolourWithinTheLimit(viewer, witness);
    const revoked = await revocationStopsTheStream(viewer, witnessPage);
    const publicPage = await openPage(browser, 'public');
    views.push(publicPage);
    await publicSeesOnlyTheEmbargoed(publicPage);
    checkErrors(views, viewer, revoked);
  } catch (error) {
    for (const view of views) {
      await screenshot(view, `failure-${view.name}.png`).catch(() => {});
      if (view.errors.length) console.error(`errors on the ${view.name} page:\n  ${view.errors.map((entry) => entry.text).join('\n  ')}`);
    }
    throw error;
  } finally {
    await browser.close();
    witness.child.kill();
  }
}

main().catch((error) => {
  console.error(`FAILED: ${error.message}`);
  process.exit(1);
});
