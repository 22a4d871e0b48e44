/**
 * Polite spacing between requests to one host, shared by the whole process: pages,
 * categories, retries and concurrent calls all queue behind one another, one request at a
 * time, each starting at least the spacing after the previous one ended.
 */
import { sleep } from "./http.js";

interface Lane {
  /** When the last request of this lane ended (ms since epoch), or -Infinity. */
  last: number;
  /** The end of the queue: the next caller waits for it. */
  tail: Promise<void>;
}

const lanes = new Map<string, Lane>();

/**
 * Waits for this caller's turn on `key` (a host): until the request before it has ended and
 * `spacingMs` more have passed. Callers are served in the order they asked, across the
 * whole process. Resolves to a `release` function to call when the request has ended
 * (answered, failed or timed out); the next turn counts the spacing from then. `onWait` is
 * told how long the polite wait will be, when there is one.
 */
export async function politeTurn(key: string, spacingMs: number, onWait?: (waitMs: number) => void): Promise<() => void> {
  let lane = lanes.get(key);
  if (!lane) {
    lane = { last: Number.NEGATIVE_INFINITY, tail: Promise.resolve() };
    lanes.set(key, lane);
  }
  const current = lane;
  const previous = current.tail;
  let release!: () => void;
  current.tail = new Promise<void>((resolve) => {
    let released = false;
    release = () => {
      if (released) return;
      released = true;
      current.last = Date.now();
      resolve();
    };
  });
  await previous;
  const wait = current.last + spacingMs - Date.now();
  if (wait > 0) {
    onWait?.(wait);
    await sleep(wait);
    // Timers may fire a little early; never let a request through before its time.
    while (Date.now() < current.last + spacingMs) await sleep(current.last + spacingMs - Date.now());
  }
  return release;
}
