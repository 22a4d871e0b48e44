import { IncompatibleIndexError, InvalidArgumentError, UnknownPaperError } from "../errors.js";

/** Collection names: 1–64 characters, letters, digits, spaces and `- _ . :`. */
const NAME = /^[\p{L}\p{N}][\p{L}\p{N} _.:-]{0,63}$/u;

/** The collection {@link PaperLibrary.recommend} reads when no liked papers are given. */
export const LIKED_COLLECTION = "liked";
/** The collection `papermap dislike` fills; recommend reads it as disliked by default. */
export const DISLIKED_COLLECTION = "disliked";

/**
 * Named sets of paper ids kept with a library (a reading list, the papers a reader liked
 * or did not), saved with it. Ids keep the order they were first added in; adding an id
 * twice keeps one. Every id must be a paper of the library; removing a paper from the
 * library removes it from every collection.
 */
export class Collections {
  /**
   * @param holds whether the library holds a paper id
   * @param store the library's saved record of collections (name → ids), changed in place
   * @param mutate runs a change (the library serialises changes with its saves)
   * @internal
   */
  constructor(
    private readonly holds: (id: string) => boolean,
    private readonly store: () => Record<string, string[]>,
    private readonly mutate: (change: () => void) => Promise<void> = async (change) => change(),
  ) {}

  private get sets(): Record<string, string[]> {
    return this.store();
  }

  /**
   * Adds papers to a collection, creating it when needed. Throws {@link UnknownPaperError}
   * (and changes nothing) when an id is not a paper of the library.
   */
  async add(name: string, ids: readonly string[]): Promise<void> {
    checkName(name, "collections.add");
    const list = checkIds(ids, "collections.add");
    await this.mutate(() => {
      for (const id of list) {
        if (!this.holds(id)) throw new UnknownPaperError(id, `Nothing was added to "${name}"; pass ids of papers in this library.`);
      }
      const current = Object.hasOwn(this.sets, name) ? [...this.sets[name]] : [];
      const seen = new Set(current);
      for (const id of list) if (!seen.has(id)) seen.add(id), current.push(id);
      this.sets[name] = current;
    });
  }

  /** Removes papers from a collection (ids it does not hold are ignored; an emptied collection is kept). */
  async remove(name: string, ids: readonly string[]): Promise<void> {
    checkName(name, "collections.remove");
    const drop = new Set(checkIds(ids, "collections.remove"));
    await this.mutate(() => {
      if (Object.hasOwn(this.sets, name)) this.sets[name] = this.sets[name].filter((id) => !drop.has(id));
    });
  }

  /** The paper ids of a collection, in the order they were added (`[]` for a collection that does not exist). */
  get(name: string): string[] {
    checkName(name, "collections.get");
    return Object.hasOwn(this.sets, name) ? [...this.sets[name]] : [];
  }

  /** Whether a collection of this name exists (it may be empty). */
  has(name: string): boolean {
    return Object.hasOwn(this.sets, name);
  }

  /** Names of the collections, sorted. */
  list(): string[] {
    return Object.keys(this.sets).sort();
  }

  /** Deletes a collection; resolves to false when there was none of that name. */
  async delete(name: string): Promise<boolean> {
    checkName(name, "collections.delete");
    let existed = false;
    await this.mutate(() => {
      existed = Object.hasOwn(this.sets, name);
      delete this.sets[name];
    });
    return existed;
  }

  /** Drops a paper from every collection (the library calls this when the paper is removed). @internal */
  forgetPaper(id: string): void {
    for (const [name, ids] of Object.entries(this.sets)) if (ids.includes(id)) this.sets[name] = ids.filter((x) => x !== id);
  }

  /**
   * Checks the saved collections of a library being opened (throws
   * {@link IncompatibleIndexError} for malformed input) and drops ids of papers it does not
   * hold and repeated ids. @internal
   */
  restore(json: unknown, folder: string): void {
    const valid =
      json !== null &&
      typeof json === "object" &&
      !Array.isArray(json) &&
      Object.entries(json as Record<string, unknown>).every(
        ([name, ids]) => NAME.test(name) && Array.isArray(ids) && ids.every((id) => typeof id === "string"),
      );
    if (!valid) {
      throw new IncompatibleIndexError(
        `The collections saved in the library in "${folder}" are damaged (expected an object of name → list of paper ids). ` +
          `Rebuild the library, or remove "collections" from its state.json and save it again.`,
      );
    }
    const store = this.sets;
    for (const [name, ids] of Object.entries(json as Record<string, string[]>))
      store[name] = [...new Set(ids)].filter((id) => this.holds(id));
  }
}

function checkName(name: unknown, where: string): asserts name is string {
  if (typeof name !== "string" || !NAME.test(name)) {
    throw new InvalidArgumentError(
      `${where}: a collection name must be 1–64 letters, digits, spaces or "- _ . :", starting with a letter or digit; got ${JSON.stringify(name)}.`,
    );
  }
}

function checkIds(ids: unknown, where: string): string[] {
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === "string")) {
    throw new InvalidArgumentError(`${where}: pass an array of paper ids (strings), got ${JSON.stringify(ids)?.slice(0, 80)}.`);
  }
  return ids as string[];
}
