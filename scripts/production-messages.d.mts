import type { Plugin } from "vite";
/** The six-character code of a message's fixed text (`{0}`, `{1}`… stand for its values). */
export function messageCode(text: string): string;
/** Replaces the long error messages in one module's JavaScript; gives each code's full text. */
export function shortenMessages(code: string): { code: string; messages: Map<string, string> };
/** A Vite plugin that applies {@link shortenMessages} to the workspace's own browser sources. */
export function productionMessagesPlugin(options?: { include?: RegExp }): Plugin;
