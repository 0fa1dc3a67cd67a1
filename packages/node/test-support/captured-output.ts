import { PassThrough } from "node:stream";

/** An output stream whose text a test reads, and waits for. */
export function capturedOutput() {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
  });
  return {
    stream,
    get text() {
      return text;
    },
    /** Resolves with the first match of `pattern` in the text written so far (polling up to ~2 s). */
    async waitFor(pattern: RegExp): Promise<RegExpExecArray> {
      for (let i = 0; i < 200; i++) {
        const match = pattern.exec(text);
        if (match) return match;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`output never matched ${pattern}: ${JSON.stringify(text)}`);
    },
  };
}
