import { InvalidArgumentError } from "../errors.js";
import { isIsoDatePrefix } from "../ingest/dates.js";
import type { Paper } from "../paper.js";

/**
 * Which papers a search may return. All conditions must hold.
 *
 * Dates compare as ISO prefixes, so `from: "2024"` means from 1 January 2024 and
 * `to: "2024-06"` up to and including 30 June 2024. A paper without a `published`
 * date is excluded whenever `from` or `to` is set; a paper without `upvotes` counts as
 * 0 upvotes.
 */
export interface PaperFilter {
  /** Earliest published date, inclusive: "YYYY", "YYYY-MM" or "YYYY-MM-DD". */
  from?: string;
  /** Latest published date, inclusive: "YYYY", "YYYY-MM" or "YYYY-MM-DD". */
  to?: string;
  /** Minimum number of upvotes, inclusive. */
  minUpvotes?: number;
  /**
   * Any condition on the paper. If it throws, the search is rejected with an
   * {@link InvalidArgumentError} that carries the original error as `cause`.
   */
  where?: (paper: Paper) => boolean;
}

/** A value as a message shows it: strings quoted, `NaN` and `Infinity` as written (JSON would say `null`). */
export function describeValue(value: unknown): string {
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean" || value === undefined) return String(value);
  if (typeof value === "function") return "a function";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * A guarded id predicate built from a {@link PaperFilter}. Never throws while searching
 * (native index code must not see an exception): the first error from `where` is
 * recorded, the paper is treated as excluded, and {@link GuardedFilter.check} rethrows it
 * once the search is done.
 */
export interface GuardedFilter {
  /** Undefined when the filter keeps everything. */
  accept?: (id: string) => boolean;
  /** Throws the recorded error, if `where` threw during the search. */
  check(): void;
}

/** Validates a filter and turns it into an id predicate over `lookup`. */
export function compileFilter(filter: PaperFilter | undefined, lookup: (id: string) => Paper | undefined): GuardedFilter {
  if (filter === undefined || filter === null) return { check() {} };
  if (typeof filter !== "object") {
    throw new InvalidArgumentError(`filter must be an object like { from, to, minUpvotes, where }, got ${typeof filter}.`);
  }
  const { from, to, minUpvotes, where } = filter;
  for (const [name, value] of [
    ["from", from],
    ["to", to],
  ] as const) {
    if (value !== undefined && (typeof value !== "string" || !isIsoDatePrefix(value))) {
      throw new InvalidArgumentError(
        `filter.${name} must be a real date written "YYYY", "YYYY-MM" or "YYYY-MM-DD", got ${describeValue(value)}.`,
      );
    }
  }
  if (
    from !== undefined &&
    to !== undefined &&
    from.slice(0, Math.min(from.length, to.length)) > to.slice(0, Math.min(from.length, to.length))
  ) {
    throw new InvalidArgumentError(`filter.from (${from}) is after filter.to (${to}); swap them.`);
  }
  if (minUpvotes !== undefined && (typeof minUpvotes !== "number" || Number.isNaN(minUpvotes))) {
    throw new InvalidArgumentError(`filter.minUpvotes must be a number, got ${describeValue(minUpvotes)}.`);
  }
  if (where !== undefined && typeof where !== "function") {
    throw new InvalidArgumentError(`filter.where must be a function (paper) => boolean, got ${typeof where}.`);
  }
  if (from === undefined && to === undefined && minUpvotes === undefined && where === undefined) return { check() {} };

  let failure: { id: string; error: unknown } | undefined;
  const accept = (id: string): boolean => {
    if (failure) return false;
    const paper = lookup(id);
    if (!paper) return false;
    if (from !== undefined || to !== undefined) {
      const date = paper.published;
      if (!date) return false;
      if (from !== undefined && date.slice(0, from.length) < from) return false;
      if (to !== undefined && date.slice(0, to.length) > to) return false;
    }
    if (minUpvotes !== undefined && (paper.upvotes ?? 0) < minUpvotes) return false;
    if (where) {
      try {
        return where(paper) === true;
      } catch (error) {
        failure = { id, error };
        return false;
      }
    }
    return true;
  };
  return {
    accept,
    check() {
      if (failure) {
        const reason = failure.error instanceof Error ? failure.error.message : String(failure.error);
        throw new InvalidArgumentError(
          `filter.where threw for paper "${failure.id}": ${reason}. Make the predicate return true or false for every paper.`,
          { cause: failure.error },
        );
      }
    },
  };
}
