import { describe, expect, it } from "vitest";
import { DIGEST_JSON_FORMAT, DIGEST_JSON_VERSION, renderJson } from "../../src/report/json.js";
import { sampleDigest } from "./sample-digest.js";

describe("renderJson", () => {
  it("is the digest plus a format tag and version, losslessly", () => {
    const digest = sampleDigest();
    const parsed = JSON.parse(renderJson(digest));
    expect(parsed.format).toBe(DIGEST_JSON_FORMAT);
    expect(parsed.version).toBe(DIGEST_JSON_VERSION);
    const { format, version, ...rest } = parsed;
    expect(format).toBe("papermap-digest");
    expect(version).toBe(1);
    expect(rest).toEqual(digest);
  });
});
