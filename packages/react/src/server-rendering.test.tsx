import { UserApp } from "@globus-app/core";
import { version } from "react";
import { renderToString, version as serverVersion } from "react-dom/server";
import { describe, expect, inject, it, vi } from "vitest";
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

describe(`@globus-app/react without a DOM (Node, as in SSR and server components), React ${inject("reactMajor")}`, () => {
  it("runs on the React version its project chose", () => {
    expect(version.split(".")[0]).toBe(String(inject("reactMajor")));
    expect(serverVersion).toBe(version);
  });

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
