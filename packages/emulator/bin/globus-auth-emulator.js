#!/usr/bin/env node
// The build output holds the code; this file only hands it the arguments and the exit status.
import { runCli } from "../dist/index.js";

process.exit(await runCli(process.argv.slice(2)));
