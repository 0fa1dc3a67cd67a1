// `node --import ./bench/lib/count-modules-register.mjs …` lists the module files loaded (see count-modules-hooks.mjs).
import { register } from "node:module";

register(new URL("./count-modules-hooks.mjs", import.meta.url));
