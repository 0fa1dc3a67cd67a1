#!/usr/bin/env node
// `npx globus-app-explain '[globus-app 1k9xq2] sandbox | production'` prints the full text of an
// error message that a production build shortened; with no argument, it reads lines from stdin.
import { createInterface } from "node:readline";
import { explainMessage, installedCatalogue } from "./explain-message.js";

const catalogue = installedCatalogue();
if (process.argv.length > 2) {
  console.log(explainMessage(process.argv.slice(2).join(" "), catalogue));
} else {
  for await (const line of createInterface({ input: process.stdin }))
    console.log(explainMessage(line, catalogue));
}
