/**
 * The other tools `bench/compare.ts` measures papermap against, installed at run time into a
 * cache folder under the system temp folder (they are not dependencies of papermap), plus
 * the small typed surface of their APIs that the benchmark uses.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

/** Exact versions measured (LangChain.js's HNSWLib store wraps hnswlib-node). */
export const COMPARED_PACKAGES = {
  vectra: "0.15.0",
  "@langchain/community": "1.1.29",
  "@langchain/core": "1.4.0",
  "hnswlib-node": "3.0.0",
} as const;

/** Where the compared packages are installed (reused by later runs). */
export const COMPARE_CACHE_DIR = path.join(os.tmpdir(), "papermap-bench-compare");

// ---------- the parts of their APIs the benchmark uses ----------

/** A LangChain `Document`. */
export interface LcDocument {
  pageContent: string;
  metadata: Record<string, unknown>;
}
/** LangChain's `EmbeddingsInterface`. */
export interface LcEmbeddings {
  embedDocuments(texts: string[]): Promise<number[][]>;
  embedQuery(text: string): Promise<number[]>;
}
/** The hnswlib-node `HierarchicalNSW` inside a LangChain HNSWLib store. */
export interface LcNativeIndex {
  getEf(): number;
  setEf(ef: number): void;
  getCurrentCount(): number;
}
/** `HNSWLib` from `@langchain/community/vectorstores/hnswlib`. */
export interface LcHnswStore {
  readonly index: LcNativeIndex;
  addVectors(vectors: number[][], documents: LcDocument[]): Promise<void>;
  /** Hits as `[document, score]`. */
  similaritySearchVectorWithScore(query: number[], k: number): Promise<[LcDocument, number][]>;
  save(directory: string): Promise<void>;
}
export interface LcHnswStoreClass {
  new (embeddings: LcEmbeddings, args: { space: "cosine"; numDimensions: number }): LcHnswStore;
  load(directory: string, embeddings: LcEmbeddings): Promise<LcHnswStore>;
}
export interface LcDocumentClass {
  new (fields: { pageContent: string; metadata?: Record<string, unknown> }): LcDocument;
}
/** Vectra's `LocalIndex`. */
export interface VectraIndex {
  createIndex(config?: { version: number; deleteIfExists?: boolean }): Promise<void>;
  beginUpdate(): Promise<void>;
  endUpdate(): Promise<void>;
  insertItem(item: { id: string; vector: number[]; metadata: Record<string, string | number | boolean> }): Promise<unknown>;
  /** `queryItems(vector, query text (BM25 only), topK)`: hits with a `score`, best first. */
  queryItems(vector: number[], query: string, topK: number): Promise<{ item: { id: string }; score: number }[]>;
  getIndexStats(): Promise<{ items: number }>;
}
export interface VectraIndexClass {
  new (folderPath: string): VectraIndex;
}

export interface ComparedTools {
  HNSWLib: LcHnswStoreClass;
  Document: LcDocumentClass;
  LocalIndex: VectraIndexClass;
  /** Installed versions, read from their package.json files. */
  versions: Record<string, string>;
  /** Seconds spent installing (0 when the cache was complete). */
  installSeconds: number;
}

function installedVersion(name: string): string | undefined {
  const file = path.join(COMPARE_CACHE_DIR, "node_modules", name, "package.json");
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, "utf8")) as { version?: string }).version;
}

function cacheComplete(): boolean {
  for (const [name, version] of Object.entries(COMPARED_PACKAGES)) {
    if (installedVersion(name) !== version) return false;
  }
  // hnswlib-node is a native addon compiled at install time: make sure it loads.
  try {
    createRequire(path.join(COMPARE_CACHE_DIR, "package.json"))("hnswlib-node");
    return true;
  } catch {
    return false;
  }
}

/** Installs the compared packages into {@link COMPARE_CACHE_DIR} when missing, then loads them. */
export function loadComparedTools(log: (line: string) => void): ComparedTools {
  let installSeconds = 0;
  if (!cacheComplete()) {
    mkdirSync(COMPARE_CACHE_DIR, { recursive: true });
    const manifest = path.join(COMPARE_CACHE_DIR, "package.json");
    if (!existsSync(manifest)) {
      writeFileSync(manifest, JSON.stringify({ name: "papermap-bench-compare-deps", private: true, license: "UNLICENSED" }, null, 2));
    }
    const specs = Object.entries(COMPARED_PACKAGES).map(([name, version]) => `${name}@${version}`);
    log(`installing ${specs.join(" ")} into ${COMPARE_CACHE_DIR} ...`);
    const t = performance.now();
    const result = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--legacy-peer-deps", ...specs], {
      cwd: COMPARE_CACHE_DIR,
      stdio: ["ignore", 2, 2],
    });
    installSeconds = (performance.now() - t) / 1000;
    if (result.status !== 0 || !cacheComplete()) {
      throw new Error(
        `npm install of the compared packages into ${COMPARE_CACHE_DIR} failed (exit ${String(result.status)}). ` +
          `The npm registry must be reachable; delete that folder and run the benchmark again.`,
      );
    }
  }
  const require = createRequire(path.join(COMPARE_CACHE_DIR, "package.json"));
  const { HNSWLib } = require("@langchain/community/vectorstores/hnswlib") as { HNSWLib: LcHnswStoreClass };
  const { Document } = require("@langchain/core/documents") as { Document: LcDocumentClass };
  const { LocalIndex } = require("vectra") as { LocalIndex: VectraIndexClass };
  const versions: Record<string, string> = {};
  for (const name of Object.keys(COMPARED_PACKAGES)) versions[name] = installedVersion(name) ?? "?";
  return { HNSWLib, Document, LocalIndex, versions, installSeconds };
}
