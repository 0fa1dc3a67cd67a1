import { UserApp } from "@globus-app/core";
import { renderToString } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
// Imported at module load in Node, as a server component or an SSR build would.
import { GlobusAppProvider, useAuthorizer, useLoginRequired, useUser } from "./index.ts";

function Portal() {
  const user = useUser();
  const required = useLoginRequired();
  const { authorizer } = useAuthorizer("transfer.api.globus.org");
  return (
    <p>
      {user === undefined ? "loading" : "ready"} {String(required)} {String(authorizer)}
    </p>
  );
}

describe("@globus-app/react without a DOM (Node, as in SSR and server components)", () => {
  it("imports without a browser global and renders the loading state without reading tokens", async () => {
    expect(typeof window).toBe("undefined");
    expect(typeof document).toBe("undefined");
    await using app = new UserApp("ssr", {
      clientId: crypto.randomUUID(),
      config: { tokenStorage: "memory" },
    });
    const getUser = vi.spyOn(app, "getUser");
    const handleRedirect = vi.spyOn(app, "handleRedirect");
    const html = renderToString(
      <GlobusAppProvider app={app}>
        <Portal />
      </GlobusAppProvider>,
    );
    expect(html).toBe("<p>loading<!-- --> <!-- -->undefined<!-- --> <!-- -->undefined</p>");
    expect(getUser).not.toHaveBeenCalled();
    expect(handleRedirect).not.toHaveBeenCalled();
  });
});
