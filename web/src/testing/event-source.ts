import { vi } from 'vitest';

/**
 * FakeEventSource stands in for the browser's EventSource: a test opens, fails and feeds
 * the streams a component made (`FakeEventSource.instances`).
 */
export class FakeEventSource extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static instances: FakeEventSource[] = [];

  readonly url: string;
  readonly withCredentials: boolean;
  readyState = FakeEventSource.CONNECTING;

  constructor(url: string | URL, init?: EventSourceInit) {
    super();
    this.url = String(url);
    this.withCredentials = Boolean(init?.withCredentials);
    FakeEventSource.instances.push(this);
  }

  close() {
    this.readyState = FakeEventSource.CLOSED;
  }

  /** open makes the stream open, as a 200 text/event-stream answer does. */
  open() {
    this.readyState = FakeEventSource.OPEN;
    this.dispatchEvent(new Event('open'));
  }

  /** emit delivers one named event with JSON data. */
  emit(name: string, data: unknown) {
    if (this.readyState === FakeEventSource.CLOSED) return;
    this.dispatchEvent(new MessageEvent(name, { data: JSON.stringify(data) }));
  }

  /** refuse fails the stream for good, as a non-200 answer (401, 429) does. */
  refuse() {
    this.readyState = FakeEventSource.CLOSED;
    this.dispatchEvent(new Event('error'));
  }

  /** drop loses the connection; the browser would retry. */
  drop() {
    this.readyState = FakeEventSource.CONNECTING;
    this.dispatchEvent(new Event('error'));
  }

  get closed() {
    return this.readyState === FakeEventSource.CLOSED;
  }
}

/** installEventSource replaces the global EventSource for one test. */
export function installEventSource() {
  FakeEventSource.instances = [];
  vi.stubGlobal('EventSource', FakeEventSource);
  return {
    /** latest is the most recently opened stream. */
    latest: () => {
      const s = FakeEventSource.instances.at(-1);
      if (!s) throw new Error('no EventSource was opened');
      return s;
    },
  };
}
