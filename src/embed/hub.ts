import { mkdir, readFile, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { writeFileAtomically } from "../atomic-file.js";

/** Result of {@link probeHost}. */
export interface ProbeResult {
  reachable: boolean;
  /** Why not, in plain words (e.g. "DNS lookup failed (ENOTFOUND)", "no answer within 1500 ms"). */
  reason?: string;
  /** Time the probe took (0 when the answer was remembered). */
  milliseconds: number;
  /** When the answer comes from the status file: when the host was found unreachable. */
  rememberedSince?: Date;
  /** ... and when it will be checked again. */
  recheckAfter?: Date;
}

/** Options of {@link probeHost}. */
export interface ProbeOptions {
  /**
   * A JSON file that remembers an unreachable host across processes for `ttlMs`: within
   * that time the host is not probed again (a reachable answer removes the entry).
   */
  statusFile?: string;
  /** How long an unreachable answer is remembered in `statusFile`. Default {@link HUB_STATUS_TTL_MS}. */
  ttlMs?: number;
}

/** Name of the file, in the model cache folder, that remembers an unreachable Hub. */
export const HUB_STATUS_FILE = "hub-status.json";
/** How long an unreachable Hub is remembered: 1 hour. */
export const HUB_STATUS_TTL_MS = 60 * 60 * 1000;

/** The status file of a model cache folder. */
export function hubStatusFile(modelCacheDir: string): string {
  return join(modelCacheDir, HUB_STATUS_FILE);
}

interface HubStatus {
  /** Unreachable hosts by origin. */
  unreachable: Record<string, { reason: string; checkedAt: string }>;
}

async function readStatus(file: string): Promise<HubStatus> {
  try {
    const raw = JSON.parse(await readFile(file, "utf8")) as Partial<HubStatus>;
    if (raw && typeof raw.unreachable === "object" && raw.unreachable !== null) return { unreachable: { ...raw.unreachable } };
  } catch {
    // Absent or unreadable: nothing is remembered.
  }
  return { unreachable: {} };
}

/** Writes the status file atomically (a temporary file renamed over it); failures are ignored: it is only a hint. */
async function writeStatus(file: string, status: HubStatus): Promise<void> {
  try {
    if (Object.keys(status.unreachable).length === 0) {
      await rm(file, { force: true });
      return;
    }
    await mkdir(dirname(file), { recursive: true });
    await writeFileAtomically(file, `${JSON.stringify(status, null, 2)}\n`);
  } catch {
    // Only a hint: a status that cannot be written is not remembered.
  }
}

/** Forgets a remembered unreachable host (after it answered, e.g. a download succeeded). */
export async function forgetUnreachable(statusFile: string, url: string): Promise<void> {
  const origin = new URL(url).origin;
  const status = await readStatus(statusFile);
  if (!(origin in status.unreachable)) return;
  delete status.unreachable[origin];
  await writeStatus(statusFile, status);
}

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

const recent = new Map<string, { at: number; result: ProbeResult }>();
/** Probe results are reused this long, so many loads in one process probe once. */
const PROBE_MEMORY_MS = 60_000;

function describeNetworkError(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return `no answer within ${timeoutMs} ms`;
  const code = e?.cause?.code;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `DNS lookup failed (${code})`;
  if (code) return `${e.cause?.message ?? "connection failed"} (${code})`;
  return e?.cause?.message ?? e?.message ?? String(error);
}

/**
 * Checks quickly whether `url`'s host answers at all (any HTTP status counts as reachable),
 * so an unreachable network is detected in at most `timeoutMs` instead of a long TCP time-out.
 * Results are remembered for a minute per host in the process, and an unreachable host for
 * `options.ttlMs` in `options.statusFile` (across processes).
 */
export async function probeHost(url: string, timeoutMs: number, fetchImpl: FetchLike, options: ProbeOptions = {}): Promise<ProbeResult> {
  const origin = new URL(url).origin;
  const memo = recent.get(origin);
  if (memo && Date.now() - memo.at < PROBE_MEMORY_MS) return memo.result;
  const ttl = options.ttlMs ?? HUB_STATUS_TTL_MS;
  const status = options.statusFile ? await readStatus(options.statusFile) : undefined;
  const remembered = status?.unreachable[origin];
  if (remembered) {
    const since = new Date(remembered.checkedAt);
    const age = Date.now() - since.getTime();
    if (age >= 0 && age < ttl) {
      return {
        reachable: false,
        reason: remembered.reason,
        milliseconds: 0,
        rememberedSince: since,
        recheckAfter: new Date(since.getTime() + ttl),
      };
    }
  }
  const started = performance.now();
  let result: ProbeResult;
  try {
    const response = await fetchImpl(origin, { method: "HEAD", redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel().catch(() => undefined);
    result = { reachable: true, milliseconds: performance.now() - started };
  } catch (error) {
    result = { reachable: false, reason: describeNetworkError(error, timeoutMs), milliseconds: performance.now() - started };
  }
  recent.set(origin, { at: Date.now(), result });
  if (options.statusFile && status) {
    if (!result.reachable) {
      status.unreachable[origin] = { reason: result.reason ?? "no answer", checkedAt: new Date().toISOString() };
      await writeStatus(options.statusFile, status);
    } else if (remembered) {
      delete status.unreachable[origin];
      await writeStatus(options.statusFile, status);
    }
  }
  return result;
}

/** Forgets remembered probe results (for tests and for callers that know the network changed). */
export function forgetProbes(): void {
  recent.clear();
}
