import type { Digest, DigestPaper } from "../../src/report/types.js";

/** A small hand-made digest whose titles and labels contain characters that must be escaped. */
export function sampleDigest(options: { map?: boolean } = {}): Digest {
  const map = options.map ?? true;
  const themes = [
    {
      id: "t-a",
      label: "visual token <pruning>",
      subtopics: ["LVLMs & <video>", "KV cache"],
      keywords: ["visual tokens", "token pruning", "a & b"],
      size: 3,
      paperIds: ["a1", "a2", "a3"],
      representativeIds: ["a1"],
    },
    {
      id: "t-b",
      label: 'speech "audio" tokens',
      keywords: ["speech", "codec"],
      size: 2,
      paperIds: ["b1", "b2"],
      representativeIds: ["b1"],
    },
    { id: "t-c", label: "text tokenizers", keywords: [], size: 1, paperIds: ["c1"], representativeIds: ["c1"] },
  ];
  const positions: Record<string, [number, number]> = {
    a1: [0.1, 0.2],
    a2: [0.15, 0.1],
    a3: [0, 0],
    b1: [0.9, 0.8],
    b2: [1, 1],
    c1: [0.5, 0.5],
  };
  const titles: Record<string, string> = {
    a1: "Prune <b>visual</b> tokens & keep 'accuracy'",
    a2: 'FID<2 with "fewer" tokens',
    a3: "</script><script>alert(1)</script>",
    b1: "Speech tokens *really* [matter]",
    b2: "Audio_codec | tables",
    c1: "Byte-level tokenizers",
  };
  const papers: DigestPaper[] = themes.flatMap((t) =>
    t.paperIds.map((id, i) => ({
      paper: {
        id,
        title: titles[id],
        abstract: `Abstract of ${titles[id]}.`,
        published: `2025-02-1${i}`,
        upvotes: 10 * i,
        ...(id === "a3" ? { url: "javascript:alert(1)" } : { url: `https://arxiv.org/abs/2501.0000${i}` }),
      },
      themeId: t.id,
      confidence: 0.9,
      related: [
        { id: id === "a1" ? "b1" : "a1", title: id === "a1" ? titles.b1 : titles.a1, score: 0.5, themeId: id === "a1" ? "t-b" : "t-a" },
      ],
      ...(map ? { x: positions[id][0], y: positions[id][1] } : {}),
    })),
  );
  return {
    title: "Digest of <my> listing",
    source: "listing & co.txt",
    generatedAt: "2025-11-21T10:00:00.000Z",
    embedderId: "lexical:tfidf-lsa-128:abc",
    ...(map ? { projection: "umap" } : {}),
    themes,
    papers,
  };
}
