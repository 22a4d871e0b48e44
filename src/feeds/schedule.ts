/**
 * Polite spacing between requests to one host, shared by the whole process: pages,
 * categories, retries and concurrent calls all queue behind one another.
 */
import { sleep } from "./http.js";

interface Lane {
  /** When the last request of this lane was let through (ms since epoch), or -Infinity. */
  last: number;
  /** The end of the queue: the next caller waits for it. */
  tail: Promise<void>;
}

const lanes = new Map<string, Lane>();

/**
 * Waits until at least `spacingMs` have passed since the previous request let through for
 * `key` (a host), then lets this one through. Callers are served in the order they asked,
 * across the whole process. `onWait` is told how long the wait will be, when there is one.
 */
export function politeTurn(key: string, spacingMs: number, onWait?: (waitMs: number) => void): Promise<void> {
  let lane = lanes.get(key);
  if (!lane) {
    lane = { last: Number.NEGATIVE_INFINITY, tail: Promise.resolve() };
    lanes.set(key, lane);
  }
  const current = lane;
  const turn = current.tail.then(async () => {
    const wait = current.last + spacingMs - Date.now();
    if (wait > 0) {
      onWait?.(wait);
      await sleep(wait);
      // Timers may fire a little early; never let a request through before its time.
      while (Date.now() < current.last + spacingMs) await sleep(current.last + spacingMs - Date.now());
    }
    current.last = Date.now();
  });
  current.tail = turn.catch(() => undefined);
  return turn;
}
