import { describe, expect, it } from "vitest";
import { arxivAbsUrl, arxivIdFrom, cleanText, collapseWhitespace, decodeEntities, stripHtmlTags, titleSlug } from "../../src/paper.js";

describe("stripHtmlTags", () => {
  it("removes real tags, inline ones without a gap and block ones with one", () => {
    expect(stripHtmlTags('process <span style="font-weight: bold; color: rgb(214, 21, 21);">requiring 2GB</span> to run')).toBe(
      "process requiring 2GB to run",
    );
    expect(stripHtmlTags("H<sub>2</sub>O and <b>bold</b>, <I>italic</I>")).toBe("H2O and bold, italic");
    expect(stripHtmlTags("one<br>two<br/>three<br />four<p>five</p>")).toBe("one two three four five ");
    expect(stripHtmlTags('see <a href="https://x.org/a?b=1&c=2">the code</a>')).toBe("see the code");
    expect(stripHtmlTags("a <!-- hidden --> b")).toBe("a   b");
  });

  it("keeps every < that is not a tag", () => {
    for (const text of [
      "FID<2",
      "(<4%)",
      "a < b and c > d",
      "x<y and y>z",
      "p<q and r>s",
      "<5% error",
      "1<2>0",
      "<unknowntag>",
      "3 <= 4",
    ]) {
      expect(stripHtmlTags(text)).toBe(text);
    }
    // A known element name with bare-word "attributes" is text, not a tag.
    expect(stripHtmlTags("if a<b and c>d")).toBe("if a<b and c>d");
  });
});

describe("decodeEntities", () => {
  it("decodes named and numeric references", () => {
    expect(decodeEntities("Tom &amp; Jerry &lt;3 &quot;q&quot; &#39;s&#39; &#x2264; &ndash; &alpha;&nbsp;b")).toBe(
      "Tom & Jerry <3 \"q\" 's' ≤ – α\u00a0b",
    );
  });
  it("leaves unknown names, bare ampersands and invalid code points alone", () => {
    expect(decodeEntities("R&D &notanentity; &#0; &#xD800; & done")).toBe("R&D &notanentity; &#0; &#xD800; & done");
  });
});

describe("collapseWhitespace and cleanText", () => {
  it("collapse every kind of whitespace and drop zero-width characters", () => {
    expect(collapseWhitespace("  a\tb\n\nc\u00a0d\u200be  ")).toBe("a b c de");
  });
  it("strip tags before decoding entities, so escaped brackets stay text", () => {
    expect(cleanText("&lt;span&gt; is a tag name")).toBe("<span> is a tag name");
    expect(cleanText("<span>Masked</span>\n  tokens &amp; more")).toBe("Masked tokens & more");
    expect(cleanText("Cafe\u0301")).toBe("Café"); // NFC
  });
});

describe("titleSlug", () => {
  it("is lower case, hyphenated and free of punctuation", () => {
    expect(titleSlug("ELECTRA: Pre-training Text Encoders as Discriminators Rather Than Generators")).toBe(
      "electra-pre-training-text-encoders-as-discriminators-rather-than-generators",
    );
    expect(titleSlug("[CLS] Token Tells Everything Needed for Training-free Efficient MLLMs")).toBe(
      "cls-token-tells-everything-needed-for-training-free-efficient-mllms",
    );
    expect(titleSlug("SeiT++: Masked Token Modeling")).toBe("seit-masked-token-modeling");
    expect(titleSlug("Ivan Vulić über Zürich")).toBe("ivan-vulic-uber-zurich");
  });
  it("keeps letters of other scripts and falls back to a hash when there are none", () => {
    expect(titleSlug("大规模 语言模型")).toBe("大规模-语言模型");
    expect(titleSlug("?!")).toMatch(/^paper-[0-9a-f]{8}$/);
    expect(titleSlug("?!")).toBe(titleSlug("?!"));
    expect(titleSlug("?!")).not.toBe(titleSlug("!?"));
  });
  it("cuts long titles at a hyphen, within the limit", () => {
    const slug = titleSlug(
      "Linguistic Entity Masking to Improve Cross-Lingual Representation of Multilingual Language Models for Low-Resource Languages",
    );
    expect(slug).toBe("linguistic-entity-masking-to-improve-cross-lingual-representation-of");
    expect(slug.length).toBeLessThanOrEqual(80);
    expect(titleSlug("a".repeat(200)).length).toBe(80);
  });
});

describe("arxivIdFrom", () => {
  it("reads bare ids with or without version and prefix", () => {
    expect(arxivIdFrom("2502.07490")).toBe("2502.07490");
    expect(arxivIdFrom("2502.07490v2")).toBe("2502.07490");
    expect(arxivIdFrom(" arXiv:2502.07490v12 ")).toBe("2502.07490");
    expect(arxivIdFrom("0704.0001")).toBe("0704.0001");
    expect(arxivIdFrom("hep-th/9901001v1")).toBe("hep-th/9901001");
    expect(arxivIdFrom("math.GT/0309136")).toBe("math.GT/0309136");
  });
  it("reads arXiv and Hugging Face paper URLs", () => {
    expect(arxivIdFrom("https://arxiv.org/abs/2502.07490v2")).toBe("2502.07490");
    expect(arxivIdFrom("http://arxiv.org/pdf/2502.07490v1.pdf")).toBe("2502.07490");
    expect(arxivIdFrom("http://export.arxiv.org/abs/hep-ex/0307015v1")).toBe("hep-ex/0307015");
    expect(arxivIdFrom("https://huggingface.co/papers/2405.07883")).toBe("2405.07883");
    expect(arxivIdFrom("https://arxiv.org/abs/2502.07490?context=cs")).toBe("2502.07490");
  });
  it("refuses what is not an arXiv id", () => {
    for (const value of [
      "",
      "2025.12345",
      "2513.00001",
      "12.3456",
      "2502.074",
      "doi:10.1145/3292500",
      "https://example.org/abs/2502.07490",
      "paper-2502.07490",
      "openreview:Xy12AbCd",
    ]) {
      expect(arxivIdFrom(value)).toBeUndefined();
    }
  });
  it("gives the abstract page URL", () => {
    expect(arxivAbsUrl("hep-th/9901001")).toBe("https://arxiv.org/abs/hep-th/9901001");
  });
});
