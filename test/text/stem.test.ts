import { describe, expect, it } from "vitest";
import { stem } from "../../src/text/stem.js";

// Expected stems are the published Porter2 (Snowball English) outputs.
describe("stem (Porter2)", () => {
  it.each([
    ["consign", "consign"],
    ["consigned", "consign"],
    ["consignment", "consign"],
    ["consistency", "consist"],
    ["consistently", "consist"],
    ["consolation", "consol"],
    ["consolatory", "consolatori"],
    ["conspiracy", "conspiraci"],
    ["constable", "constabl"],
    ["knackeries", "knackeri"],
    ["kneeling", "kneel"],
    ["knightly", "knight"],
    ["knitting", "knit"],
    ["knives", "knive"],
    ["generously", "generous"],
    ["generation", "generat"],
    ["communication", "communic"],
    ["running", "run"],
    ["hopping", "hop"],
    ["hoped", "hope"],
    ["caresses", "caress"],
    ["ponies", "poni"],
    ["cries", "cri"],
    ["ties", "tie"],
    ["gaps", "gap"],
    ["gas", "gas"],
    ["this", "this"],
    ["kiwis", "kiwi"],
    ["cry", "cri"],
    ["by", "by"],
    ["say", "say"],
    ["youth", "youth"],
    ["sayings", "say"],
    ["normalization", "normal"],
    ["effective", "effect"],
    ["proceed", "proceed"],
    ["succeeding", "succeed"],
  ])("%s → %s", (word, expected) => {
    expect(stem(word)).toBe(expected);
  });

  it("conflates the forms papers use for one idea", () => {
    const forms = ["learn", "learning", "learned", "learns"].map(stem);
    expect(new Set(forms).size).toBe(1);
    expect(stem("models")).toBe(stem("modeling"));
    expect(stem("efficient")).toBe(stem("efficiency"));
  });

  it("handles the exceptional words of the algorithm", () => {
    expect(stem("skies")).toBe("sky");
    expect(stem("dying")).toBe("die");
    expect(stem("news")).toBe("news");
    expect(stem("early")).toBe("earli");
  });

  it("stems each part of a hyphenated compound", () => {
    expect(stem("vision-languages")).toBe("vision-languag");
    expect(stem("self-supervised")).toBe("self-supervis");
  });

  it("leaves short words, numbers, mixed tokens and other scripts alone", () => {
    expect(stem("is")).toBe("is");
    expect(stem("gpt-4o")).toBe("gpt-4o");
    expect(stem("v1.5")).toBe("v1.5");
    expect(stem("résumés")).toBe("résumés");
    expect(stem("注意力")).toBe("注意力");
  });

  it("is safe on words that are Object property names", () => {
    expect(stem("constructor")).toBe("constructor");
    expect(stem("prototype")).toBe("prototyp");
  });
});
