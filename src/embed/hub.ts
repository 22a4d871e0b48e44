/** Result of {@link probeHost}. */
export interface ProbeResult {
  reachable: boolean;
  /** Why not, in plain words (e.g. "DNS lookup failed (ENOTFOUND)", "no answer within 1500 ms"). */
  reason?: string;
  /** Time the probe took. */
  milliseconds: number;
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
 * Results are remembered for a minute per host.
 */
export async function probeHost(url: string, timeoutMs: number, fetchImpl: FetchLike): Promise<ProbeResult> {
  const origin = new URL(url).origin;
  const memo = recent.get(origin);
  if (memo && Date.now() - memo.at < PROBE_MEMORY_MS) return memo.result;
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
  return result;
}

/** Forgets remembered probe results (for tests and for callers that know the network changed). */
export function forgetProbes(): void {
  recent.clear();
}
