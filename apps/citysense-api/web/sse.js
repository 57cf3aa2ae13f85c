// The live stream's client. EventSource cannot send an Authorization header, so the stream is read with
// fetch() and parsed here as the HTML standard's Server-Sent Events parser does (fields data, event, id,
// retry; comments; \r\n, \r or \n line ends; an event dispatched at an empty line). When the stream
// ends or fails it is opened again after a delay (1 s, doubling to 30 s, or the server's retry: or
// Retry-After), with Last-Event-ID so that the server resumes without a gap. A 401 or 403 ends it for
// good: the key is unknown, revoked, expired or lacks live:read.
(function (exports) {
  'use strict';

  const kFirstDelay = 1000;
  const kLongestDelay = 30000;

  /** Turns text in chunks into events { type, data, id }; hands each to `dispatch`. */
  class SseParser {
    constructor(dispatch) {
      this.dispatch = dispatch;
      this.buffer = '';
      this.data = '';
      this.type = '';
      this.lastEventId = '';
      this.retry = null;
      this.pendingCr = false;
    }

    push(text) {
      this.buffer += text;
      for (;;) {
        if (this.pendingCr && this.buffer.startsWith('\n')) this.buffer = this.buffer.slice(1);
        this.pendingCr = false;
        const end = this.buffer.search(/[\r\n]/);
        if (end < 0) return;
        const line = this.buffer.slice(0, end);
        this.pendingCr = this.buffer[end] === '\r';
        this.buffer = this.buffer.slice(end + 1);
        this.line(line);
      }
    }

    line(line) {
      if (line === '') {
        this.dispatchEvent();
        return;
      }
      if (line.startsWith(':')) return;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') this.data += value + '\n';
      else if (field === 'event') this.type = value;
      else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
      else if (field === 'retry' && /^[0-9]+$/.test(value)) this.retry = Number(value);
    }

    dispatchEvent() {
      const data = this.data;
      const type = this.type || 'message';
      this.data = '';
      this.type = '';
      if (data === '') return;
      this.dispatch({ type, data: data.slice(0, -1), id: this.lastEventId });
    }
  }

  /**
   * Follows `url` with `key` until stop(). `handlers`: onEvent({ type, data, id }), onState(state, detail)
   * with state 'open', 'reconnecting' (detail: the delay in ms) or 'refused' (detail: the server's message).
   */
  class LiveStream {
    constructor(url, key, handlers) {
      this.url = url;
      this.key = key;
      this.handlers = handlers;
      this.lastEventId = '';
      this.controller = null;
      this.stopped = false;
    }

    start() {
      this.run();
    }

    stop() {
      this.stopped = true;
      if (this.controller) this.controller.abort();
    }

    async run() {
      let delay = kFirstDelay;
      while (!this.stopped) {
        let wait = delay;
        try {
          this.controller = new AbortController();
          const headers = { Authorization: 'Bearer ' + this.key, Accept: 'text/event-stream' };
          if (this.lastEventId) headers['Last-Event-ID'] = this.lastEventId;
          const response = await fetch(this.url, { headers, cache: 'no-store', signal: this.controller.signal });
          if (response.status === 401 || response.status === 403) {
            this.handlers.onState('refused', await refusal(response));
            return;
          }
          if (response.ok && response.body) {
            this.handlers.onState('open');
            delay = kFirstDelay;
            wait = await this.read(response.body) ?? delay;
          } else {
            const retryAfter = Number(response.headers.get('Retry-After'));
            if (retryAfter > 0) wait = retryAfter * 1000;
            await response.body?.cancel();
          }
        } catch (error) {
          if (this.stopped) return;
        }
        if (this.stopped) return;
        this.handlers.onState('reconnecting', wait);
        await new Promise((resolve) => setTimeout(resolve, wait));
        delay = Math.min(delay * 2, kLongestDelay);
      }
    }

    /** Reads the stream to its end; the delay the server asked for, if any. */
    async read(body) {
      const parser = new SseParser((event) => {
        this.lastEventId = event.id;
        this.handlers.onEvent(event);
      });
      const reader = body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return parser.retry;
        parser.push(value);
      }
    }
  }

  async function refusal(response) {
    try {
      const body = await response.json();
      return body.message || response.statusText;
    } catch (error) {
      return response.statusText;
    }
  }

  exports.SseParser = SseParser;
  exports.LiveStream = LiveStream;
})(typeof module === 'object' ? module.exports : (window.CitysenseSse = {}));
