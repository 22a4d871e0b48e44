import { describe, expect, it } from "vitest";
import { paperText } from "../src/paper.js";
import { ParseError, PapermapError } from "../src/errors.js";

describe("paperText", () => {
  it("joins title and abstract with one full stop", () => {
    expect(paperText({ title: "Tokenizers matter.", abstract: "We study BPE." })).toBe("Tokenizers matter. We study BPE.");
    expect(paperText({ title: "  ELECTRA ", abstract: "Pre-training." })).toBe("ELECTRA. Pre-training.");
  });
});

describe("errors", () => {
  it("are typed and carry where the problem is", () => {
    const e = new ParseError("bad record", { record: 3 });
    expect(e).toBeInstanceOf(PapermapError);
    expect(e.name).toBe("ParseError");
    expect(e.record).toBe(3);
  });
});
