// The map's Server-Sent Events parser (apps/citysense-api/web/sse.js) on what a stream may send: the
// live stream's events, chunks cut anywhere, every line end, comments, ids kept for Last-Event-ID.
//   node --test sse-parser.test.js        (SSE_SCRIPT: the sse.js to test)
'use strict';

const assert = require('assert');
const path = require('path');
const test = require('node:test');

const { SseParser } = require(path.resolve(process.env.SSE_SCRIPT));

function parse(chunks) {
  const events = [];
  const parser = new SseParser((event) => events.push(event));
  for (const chunk of chunks) parser.push(chunk);
  return { events, parser };
}

const observation =
  'id: 41\nevent: observation\ndata: {"Datastream@iot.id":3,"Thing@iot.id":1,"ObservedProperty":"no2","unit":"ppb",' +
  '"phenomenonTime":"2026-12-06T10:00:00.123456Z","result":12.5,"resultQuality":["ok"]}\n\n';

test('an observation of the live stream', () => {
  const { events } = parse([observation]);
  assert.strictEqual(events.length, 1);
  assert.strictEqual(events[0].type, 'observation');
  assert.strictEqual(events[0].id, '41');
  assert.strictEqual(JSON.parse(events[0].data).result, 12.5);
});

test('the same, cut into chunks of every size', () => {
  for (let size = 1; size < observation.length; size += 1) {
    const chunks = [];
    for (let at = 0; at < observation.length; at += size) chunks.push(observation.slice(at, at + size));
    const { events } = parse(chunks);
    assert.strictEqual(events.length, 1, `chunks of ${size}`);
    assert.strictEqual(JSON.parse(events[0].data)['Datastream@iot.id'], 3);
  }
});

test('CRLF and CR line ends, a CRLF cut between chunks', () => {
  assert.strictEqual(parse(['id: 1\r\ndata: a\r\n\r\n']).events[0].data, 'a');
  assert.strictEqual(parse(['id: 1\rdata: b\r\r']).events[0].data, 'b');
  const { events } = parse(['data: c\r', '\n', '\r', '\ndata: d\n\n']);
  assert.deepStrictEqual(events.map((event) => event.data), ['c', 'd']);
});

test('comments, several data lines, no space after the colon, unknown fields', () => {
  const { events } = parse([': keep-alive\n\ndata:x\ndata: y\nfoo: bar\n\n']);
  assert.strictEqual(events.length, 1);
  assert.strictEqual(events[0].data, 'x\ny');
  assert.strictEqual(events[0].type, 'message');
});

test('the last id carries over to events without one, and retry is read', () => {
  const { events, parser } = parse(['id: 7\ndata: a\n\ndata: b\nretry: 2500\n\n']);
  assert.deepStrictEqual(events.map((event) => event.id), ['7', '7']);
  assert.strictEqual(parser.retry, 2500);
});

test('an event cut off by the end of the stream is not dispatched', () => {
  assert.strictEqual(parse(['id: 9\ndata: half']).events.length, 0);
});
