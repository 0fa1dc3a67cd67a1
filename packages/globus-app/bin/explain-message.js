// Reads back the error messages that production builds shorten (README, "Error messages in
// production builds"): "[globus-app 1k9xq2] sandbox | production" is the code of a message and its
// values; the packages ship each code's full text in dist/prod/messages.json.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/** How a shortened message starts: `[globus-app <code>]`. */
export const MESSAGE_PREFIX = "globus-app";
/** What separates a shortened message's values. */
export const VALUE_SEPARATOR = " | ";
const CODED = /^\[globus-app ([0-9a-z]{6})\](?: (.*))?$/s;

/**
 * The full text of a shortened message, given a catalogue (code → text with `{0}`, `{1}`… for its
 * values); the message itself when it is not shortened or its code is not in the catalogue.
 *
 * @param {string} message
 * @param {Readonly<Record<string, string>>} catalogue
 * @returns {string}
 */
export function explainMessage(message, catalogue) {
  const match = CODED.exec(message);
  const text = match && Object.hasOwn(catalogue, match[1]) ? catalogue[match[1]] : undefined;
  if (typeof text !== "string") return message;
  const values = match[2] === undefined ? [] : match[2].split(VALUE_SEPARATOR);
  return text.replace(/\{(\d+)\}/g, (whole, i) => values[Number(i)] ?? whole);
}

/**
 * The catalogues of the installed @globus-app/core, browser and services, merged.
 *
 * @returns {Record<string, string>}
 */
export function installedCatalogue() {
  const require = createRequire(import.meta.url);
  const catalogue = {};
  for (const name of ["core", "browser", "services"]) {
    const dir = path.dirname(require.resolve(`@globus-app/${name}/package.json`));
    Object.assign(
      catalogue,
      JSON.parse(readFileSync(path.join(dir, "dist", "prod", "messages.json"), "utf8")),
    );
  }
  return catalogue;
}
