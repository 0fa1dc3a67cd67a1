import { describe, expect, it } from "vitest";
import type * as Shared from "./index.ts";
import type * as BrowserEntry from "./main-browser.ts";
import type * as NodeEntry from "./main-node.ts";

// The "." entry resolves to the browser build in bundlers and the Node build in Node, Deno and Bun,
// but TypeScript only ever reads index.d.ts: both builds must export exactly its names, each
// assignable to its declared type.
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never]
  ? true
  : false;
type Assignable<A, B> = {
  [K in keyof B]: K extends keyof A ? (A[K] extends B[K] ? true : false) : false;
}[keyof B];

const browserNames: SameKeys<typeof BrowserEntry, typeof Shared> = true;
const nodeNames: SameKeys<typeof NodeEntry, typeof Shared> = true;
const browserTypes: Assignable<typeof BrowserEntry, typeof Shared> = true;
const nodeTypes: Assignable<typeof NodeEntry, typeof Shared> = true;

describe("globus-app entries", () => {
  it("export the same names from the browser and the Node build", async () => {
    expect([browserNames, nodeNames, browserTypes, nodeTypes]).toEqual([true, true, true, true]);
    const [shared, browser, node] = await Promise.all([
      import("./index.ts"),
      import("./main-browser.ts"),
      import("./main-node.ts"),
    ]);
    expect(Object.keys(browser).sort()).toEqual(Object.keys(shared).sort());
    expect(Object.keys(node).sort()).toEqual(Object.keys(shared).sort());
    expect(browser.UserApp.platform.name).toBe("browser");
    expect(node.UserApp.platform.name).toBe("node");
    expect(new browser.UserApp("x", { clientId: "c", config: { tokenStorage: "memory" } })).toBeInstanceOf(
      shared.UserApp,
    );
  });

  it("re-export the React bindings from globus-app/react, importable in Node without a DOM", async () => {
    expect(typeof document).toBe("undefined");
    const [entry, bindings] = await Promise.all([import("./react.ts"), import("@globus-app/react")]);
    expect(Object.keys(entry).sort()).toEqual(Object.keys(bindings).sort());
    expect(entry.GlobusAppProvider).toBe(bindings.GlobusAppProvider);
  });
});
