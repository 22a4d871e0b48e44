/**
 * Generated papers on a few distinct subjects, for the living-themes tests: each subject has
 * its own words (so texts and the lexical embedder separate them) and its own direction (so
 * tests that pass vectors directly get clear clusters).
 */
import type { Paper } from "../../src/paper.js";
import { createRandom } from "../../src/themes/linalg.js";

export const SUBJECTS: Record<string, string[]> = {
  robotics: ["robot", "grasping", "manipulation", "locomotion", "gripper", "legged", "navigation", "actuator", "torque", "kinematics"],
  astronomy: ["galaxy", "stellar", "telescope", "redshift", "supernova", "cosmic", "nebula", "quasar", "exoplanet", "photometry"],
  cooking: ["recipe", "flavour", "baking", "oven", "dough", "spice", "cuisine", "roasting", "fermentation", "pastry"],
  chess: ["opening", "endgame", "pawn", "bishop", "checkmate", "gambit", "rook", "grandmaster", "tablebase", "tempo"],
  music: ["melody", "harmony", "chord", "rhythm", "guitar", "orchestra", "symphony", "timbre", "counterpoint", "cadence"],
  geology: ["sediment", "basalt", "tectonic", "erosion", "magma", "fossil", "stratigraphy", "mineral", "granite", "seismic"],
};
const GENERIC = ["method", "results", "analysis", "approach", "data", "study", "model", "evaluation", "framework", "experiments"];

export const DIMENSION = 32;

/** Subject directions: one-hot blocks so subjects are exactly orthogonal. */
function direction(subject: string): Float32Array {
  const names = Object.keys(SUBJECTS);
  const s = names.indexOf(subject);
  const v = new Float32Array(DIMENSION);
  v[(s * 5) % DIMENSION] = 1;
  v[(s * 5 + 1) % DIMENSION] = 1;
  return v;
}

/**
 * `count` papers on `subject`, ids `<prefix><subject>-<i>`, listed on `day`; text from the
 * subject's words; vectors near the subject's direction (`towards` blends in another subject).
 */
export function papersOn(
  subject: string,
  count: number,
  options: { day?: string; prefix?: string; seed?: number; towards?: { subject: string; weight: number } } = {},
): { papers: Paper[]; vectors: Float32Array[] } {
  const words = SUBJECTS[subject];
  const random = createRandom(options.seed ?? subject.length * 7 + count);
  const pick = (list: readonly string[]) => list[Math.floor(random() * list.length)];
  const papers: Paper[] = [];
  const vectors: Float32Array[] = [];
  for (let i = 0; i < count; i++) {
    const a = pick(words);
    let b = pick(words);
    if (b === a) b = words[(words.indexOf(a) + 1) % words.length];
    const body = Array.from({ length: 24 }, () => (random() < 0.7 ? pick(words) : pick(GENERIC))).join(" ");
    papers.push({
      id: `${options.prefix ?? ""}${subject}-${i}`,
      title: `${cap(a)} ${b} ${pick(words)} study`,
      abstract: `We examine ${a} ${b} with ${body}.`,
      ...(options.day ? { listingDay: options.day } : {}),
    });
    const v = direction(subject);
    if (options.towards) {
      const o = direction(options.towards.subject);
      for (let j = 0; j < DIMENSION; j++) v[j] = (1 - options.towards.weight) * v[j] + options.towards.weight * o[j];
    }
    for (let j = 0; j < DIMENSION; j++) v[j] += 0.35 * (random() - 0.5);
    vectors.push(v);
  }
  return { papers, vectors };
}

/** Concatenates several generated sets. */
export function concat(...sets: { papers: Paper[]; vectors: Float32Array[] }[]): { papers: Paper[]; vectors: Float32Array[] } {
  return { papers: sets.flatMap((s) => s.papers), vectors: sets.flatMap((s) => s.vectors) };
}

function cap(word: string): string {
  return word[0].toUpperCase() + word.slice(1);
}
