/**
 * Text that is safe to show on a terminal: a listing is untrusted input, and a title such
 * as `"\x1b]0;pwned\x07Paper"` must not retitle the window, clear the screen or plant an
 * OSC 8 hyperlink when papermap prints it.
 */

/* eslint-disable no-control-regex */
const CONTROL_SEQUENCES = new RegExp(
  [
    // OSC (window title, OSC 8 links, clipboard …), terminated by BEL or ST (ESC \ or 0x9C).
    String.raw`(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)`,
    // DCS, SOS, PM, APC strings, terminated by ST.
    String.raw`(?:\x1b[PX^_]|[\x90\x98\x9e\x9f])[^\x1b\x9c]*(?:\x1b\\|\x9c)`,
    // CSI (cursor moves, erase, colours, …).
    String.raw`(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]`,
    // Any other escape sequence: ESC, intermediates, a final byte.
    String.raw`\x1b[\x20-\x2f]*[\x30-\x7e]`,
    // What is left: C0 controls except tab and newline, DEL, C1 controls (a lone ESC, an
    // unterminated OSC introducer …: its text stays visible, but inert).
    String.raw`[\x00-\x08\x0b-\x1f\x7f-\x9f]`,
  ].join("|"),
  "g",
);

/**
 * Removes terminal control sequences (CSI, OSC — including OSC 8 links —, DCS and other
 * escape sequences, in their 7-bit and 8-bit forms) and every other C0/C1 control
 * character from `text`, keeping newlines and tabs. Printable text, including any Unicode
 * letter, is untouched.
 *
 * @example stripControlChars("\x1b[2JHello\x1b]0;title\x07 world\r") === "Hello world"
 */
export function stripControlChars(text: string): string {
  // Fast path: almost every string has nothing to remove.
  if (!/[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(text)) return text;
  return text.replace(CONTROL_SEQUENCES, "");
}
