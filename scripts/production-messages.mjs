// Production messages (DESIGN.md, "Budgets"; README, "Error messages in production builds"): the
// text of our error messages is about a tenth of what a browser downloads, and a production bundle's
// visitors never read it. This transform replaces each long message that a module passes to an
// error's constructor with a short code that keeps the message's values:
//
//   new GlobusSDKUsageError(`Unrecognized environment "${name}". Known environments: ${known}.`)
//   → new GlobusSDKUsageError(`[globus-app 1k9xq2] ${name} | ${known}`)
//
// and lists every code with its full text, so that a code can be read back (`globus-app-explain`).
// Used by `build-production-messages.mjs` (each browser package's `dist/prod/`, chosen by bundlers
// through the `production` export condition) and by the bundle benchmark's Vite build (the same
// transform over the sources). Development builds, Node, Deno and Bun keep the full text.
//
// What is replaced: string and template literals that are the first argument of `new <Name>Error(…)`
// or of `super(…)` in a class that extends an error, or the default of such a class's `message`
// parameter; also inside `a ? "…" : "…"`, `a ?? "…"` and
// `"…" + a`; only when their fixed text is at least MIN_TEXT characters (a shorter one would not
// shrink). The code is a hash of the fixed text, so it stays the same across releases while the
// text does.
import { createHash } from "node:crypto";
import { parseAst } from "vite";
import { MESSAGE_PREFIX, VALUE_SEPARATOR } from "../packages/globus-app/bin/explain-message.js";

/** Messages whose fixed text is shorter than this stay as they are. */
const MIN_TEXT = 24;

/** The six-character code of a message's fixed text (`{0}`, `{1}`… stand for its values). */
export function messageCode(text) {
  const digest = createHash("sha256").update(text).digest();
  return (digest.readUInt32BE(0) % 36 ** 6).toString(36).padStart(6, "0");
}

/** Whether a class's `extends` clause names an error class (`Error`, `GlobusError`, …). */
function extendsError(node) {
  return node?.superClass?.type === "Identifier" && /Error$/.test(node.superClass.name);
}

/** The text of `"…" + "…"` (string literals only, as a long message split over lines is written). */
function joinedLiterals(node) {
  if (node.type === "Literal" && typeof node.value === "string") return node.value;
  if (node.type !== "BinaryExpression" || node.operator !== "+") return undefined;
  const left = joinedLiterals(node.left);
  const right = left === undefined ? undefined : joinedLiterals(node.right);
  return right === undefined ? undefined : left + right;
}

/** The literals of a message expression that can be replaced, with the branches that lead to them. */
function messageLiterals(node, out = []) {
  if (!node) return out;
  const joined = joinedLiterals(node);
  if (joined !== undefined) {
    out.push({ type: "Literal", value: joined, start: node.start, end: node.end });
  } else if (node.type === "TemplateLiteral") {
    out.push(node);
  } else if (node.type === "ConditionalExpression") {
    messageLiterals(node.consequent, out);
    messageLiterals(node.alternate, out);
  } else if (
    node.type === "LogicalExpression" ||
    (node.type === "BinaryExpression" && node.operator === "+")
  ) {
    messageLiterals(node.left, out);
    messageLiterals(node.right, out);
  } else if (node.type === "ParenthesizedExpression") {
    messageLiterals(node.expression, out);
  }
  return out;
}

/** The first arguments of error constructors and of `super()` calls inside error classes. */
function messageArguments(program) {
  const found = [];
  const visit = (node, inErrorClass) => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) {
      for (const child of node) visit(child, inErrorClass);
      return;
    }
    if (typeof node.type !== "string") return;
    const isClass = node.type === "ClassDeclaration" || node.type === "ClassExpression";
    const errorClass = isClass ? extendsError(node) : inErrorClass;
    if (
      node.type === "NewExpression" &&
      node.callee.type === "Identifier" &&
      /Error$/.test(node.callee.name)
    ) {
      found.push(node.arguments[0]);
    } else if (node.type === "CallExpression" && node.callee.type === "Super" && errorClass) {
      found.push(node.arguments[0]);
    } else if (
      node.type === "AssignmentPattern" &&
      errorClass &&
      node.left.type === "Identifier" &&
      node.left.name === "message"
    ) {
      found.push(node.right);
    }
    for (const key of Object.keys(node)) {
      if (key !== "type" && key !== "start" && key !== "end") visit(node[key], errorClass);
    }
  };
  visit(program, false);
  return found;
}

/**
 * Replaces the long error messages in one module's JavaScript.
 *
 * @param {string} code the module's JavaScript (ES2022, no TypeScript)
 * @returns {{ code: string, messages: Map<string, string> }} the new code, and each code's full
 *   text with `{0}`, `{1}`… where the message's values go
 */
export function shortenMessages(code) {
  const messages = new Map();
  const edits = [];
  for (const argument of messageArguments(parseAst(code))) {
    for (const literal of messageLiterals(argument)) {
      const parts = literal.type === "Literal" ? [literal.value] : literal.quasis.map((q) => q.value.cooked);
      if (parts.join("").trim().length < MIN_TEXT) continue;
      const text = parts.reduce((all, part, i) => `${all}{${i - 1}}${part}`);
      const id = messageCode(text);
      const known = messages.get(id);
      if (known !== undefined && known !== text) throw new Error(`Two messages share the code ${id}`);
      messages.set(id, text);
      const values =
        literal.type === "Literal" ? [] : literal.expressions.map((e) => `\${${code.slice(e.start, e.end)}}`);
      const replacement = `[${MESSAGE_PREFIX} ${id}]${values.length ? ` ${values.join(VALUE_SEPARATOR)}` : ""}`;
      edits.push([
        literal.start,
        literal.end,
        values.length ? `\`${replacement}\`` : JSON.stringify(replacement),
      ]);
    }
  }
  let out = code;
  let next = Number.POSITIVE_INFINITY;
  for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0])) {
    // A message inside another's values (an error built inside a message) would be cut twice.
    if (end > next) throw new Error(`A message at ${start} holds another message: shorten it by hand`);
    out = out.slice(0, start) + text + out.slice(end);
    next = start;
  }
  return { code: out, messages };
}

/** A Vite plugin that applies {@link shortenMessages} to the workspace's own browser sources. */
export function productionMessagesPlugin({ include = /\/packages\/(core|browser|services)\/src\// } = {}) {
  return {
    name: "globus-app:production-messages",
    enforce: "post",
    transform(code, id) {
      if (!include.test(id) || !/Error\(|super\(/.test(code)) return null;
      return { code: shortenMessages(code).code, map: null };
    },
  };
}
