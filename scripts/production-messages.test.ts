import { describe, expect, it } from "vitest";
import { explainMessage } from "../packages/globus-app/bin/explain-message.js";
import { messageCode, shortenMessages } from "./production-messages.mjs";

// What production builds do to error messages (scripts/production-messages.mjs) and how a reader
// gets the text back: a shortened message must keep its values, its class and its meaning.

/** Runs `code` (a function body) and gives the message of what it throws. */
function thrownMessage(code: string): string {
  try {
    new Function(code)();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("nothing was thrown");
}

const program = `
class StorageError extends Error {
  constructor(message = "The storage refused to keep the tokens of this app.") { super(message); }
}
class CycleError extends Error {
  constructor(path) { super(\`The scope requirements form a cycle through \${path.join(" → ")}.\`); }
}
const environment = "mars";
const known = ["production", "sandbox"];
const which = Number(globalThis.which ?? 0);
if (which === 0) throw new RangeError(\`Unrecognized environment "\${environment}". Known environments: \${known.join(", ")}.\`);
if (which === 1) throw new StorageError();
if (which === 2) throw new CycleError(["a", "b", "a"]);
if (which === 3) throw new TypeError("Scope instances must be non-empty and " + "may not contain brackets.");
if (which === 4) throw new TypeError(environment === "mars" ? "The environment is on another planet entirely." : "never");
if (which === 5) throw new TypeError("too short");
throw new TypeError(\`\${environment}\`);
`;

describe("shortenMessages", () => {
  const { code, messages } = shortenMessages(program);
  const catalogue = Object.fromEntries(messages);
  const messageOf = (source: string, which: number) =>
    thrownMessage(`globalThis.which = ${which};\n${source}`);

  it.each([0, 1, 2, 3, 4])(
    "shortens message %i, keeps its values, and reads back to the full text",
    (which) => {
      const full = messageOf(program, which);
      const short = messageOf(code, which);
      expect(short).toMatch(/^\[globus-app [0-9a-z]{6}\]/);
      expect(short.length).toBeLessThan(full.length);
      expect(explainMessage(short, catalogue)).toBe(full);
    },
  );

  it("leaves messages that would not shrink, and everything that is not a message", () => {
    expect(messageOf(code, 5)).toBe("too short");
    expect(messageOf(code, 6)).toBe("mars");
    expect(code).toContain('const known = ["production", "sandbox"];');
  });

  it("gives the same text the same code, and lists each code once", () => {
    const twice = `throw new Error("The same long message, written twice."); new Error("The same long message, written twice.");`;
    const { messages: once } = shortenMessages(twice);
    expect([...once.keys()]).toEqual([messageCode("The same long message, written twice.")]);
    expect(messageCode("The same long message, written twice.")).toMatch(/^[0-9a-z]{6}$/);
  });

  it("numbers a template's values in the catalogue", () => {
    expect(Object.values(catalogue)).toContain('Unrecognized environment "{0}". Known environments: {1}.');
  });

  it("refuses a message built inside another's values rather than cutting both", () => {
    const nested =
      "throw new Error(`The outer message is long enough: $" +
      "{new Error(`the inner one is long enough too`).message}`);";
    expect(() => shortenMessages(nested)).toThrow(/holds another message/);
  });
});

describe("explainMessage", () => {
  it("returns a message it cannot read back unchanged", () => {
    expect(explainMessage("[globus-app zzzzzz] a | b", {})).toBe("[globus-app zzzzzz] a | b");
    expect(explainMessage("a plain message", { abcdef: "x" })).toBe("a plain message");
  });
});
