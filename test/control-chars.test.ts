import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stripControlChars } from "../src/control-chars.js";

const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

describe("stripControlChars", () => {
  it("removes whole escape sequences: CSI, OSC (titles, OSC 8 links), DCS, 8-bit forms", () => {
    expect(stripControlChars("\x1b[2J\x1b[1;31mred\x1b[0m")).toBe("red");
    expect(stripControlChars("a\x1b]0;pwned\x07b")).toBe("ab");
    expect(stripControlChars("\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\")).toBe("click");
    expect(stripControlChars("x\x1bPq#0;2;0;0;0\x1b\\y")).toBe("xy");
    expect(stripControlChars("\x9b31mred\x9d0;t\x07!")).toBe("red!");
    expect(stripControlChars("\x1bcreset\x1b7saved")).toBe("resetsaved");
  });

  it("keeps newlines, tabs and every printable character; drops other controls", () => {
    expect(stripControlChars("line 1\n\tline 2 · é ✓ 漢字 🙂")).toBe("line 1\n\tline 2 · é ✓ 漢字 🙂");
    expect(stripControlChars("a\rb\x00c\x7fd\x85e\x08")).toBe("abcde");
    // An unterminated OSC loses its introducer: the rest is visible but inert.
    expect(stripControlChars("\x1b]0;no end")).toBe("0;no end");
  });

  it("never leaves a control character other than newline and tab", () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom("\x1b", "[", "]", "\x07", "\x9b", "\x9d", "\x9c", "\\", "a", "1", ";", "\n", "\r", "\x00", "é"),
        }),
        (text) => {
          expect(stripControlChars(text)).not.toMatch(CONTROL);
        },
      ),
      { numRuns: 500 },
    );
  });
});
