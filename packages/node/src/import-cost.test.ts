import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

// A script whose stored tokens are valid should pay for neither the loopback server nor hashing:
// node:http and node:crypto cost a cold start ~3 ms each, so they load on first use only.
// Checked on the built package (what users import), in a fresh process.
describe("importing @globus-app/node", () => {
  it("loads neither node:http nor node:crypto until a login server or a lock needs them", () => {
    const script = `
      await import("@globus-app/node");
      const loaded = process.moduleLoadList.filter((m) => /^NativeModule (http|https|crypto)$/.test(m));
      console.log(JSON.stringify(loaded));
    `;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(JSON.parse(out)).toEqual([]);
  });
});
