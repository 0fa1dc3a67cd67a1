import { isGlobusSDKUsageError, NativeAppAuthClient } from "@globus-app/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RedirectLoginFlowManager } from "./redirect-login-flow-manager.ts";

/** A Web Storage over a Map, for a page-less run. */
function mapStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    key: (index) => [...items.keys()][index] ?? null,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
    clear: () => items.clear(),
  };
}

// A page with an opaque origin (a sandboxed frame, a data: document) has origin "null", and so do
// `javascript:` and `data:` URLs: the same-origin check alone would let them through.
describe("RedirectLoginFlowManager on a page with an opaque origin", () => {
  afterEach(() => vi.unstubAllGlobals());

  it.each(["javascript:alert(document.domain)", "data:text/html,<script>alert(1)</script>"])(
    "refuses the return URL %s before navigating",
    async (returnUrl) => {
      vi.stubGlobal("location", {
        href: "data:text/html,portal",
        origin: "null",
        pathname: "text/html,portal",
      });
      const flow = new RedirectLoginFlowManager(new NativeAppAuthClient({ clientId: "portal" }), {
        redirectUri: "https://portal.example.org/callback",
        storage: mapStorage(),
        returnUrl,
        navigate: () => {
          throw new Error("navigated");
        },
      });
      await expect(flow.runLoginFlow({ required_scopes: ["openid"] })).rejects.toSatisfy(
        isGlobusSDKUsageError,
      );
    },
  );
});
