import { TransferClient } from "@globus-app/services";
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import { StrictMode, useEffect, useState } from "react";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TestEmulator, TRANSFER_ALL } from "../../browser/test-support/emulator-fixture.ts";
import { closeTestApps, makeTestApp, signIn } from "../test-support/browser-apps.ts";
import { GlobusAppProvider, useGlobusClient } from "./index.ts";

let emu: TestEmulator;
beforeAll(async () => {
  emu = await TestEmulator.start({ autoApprove: true });
});
afterAll(() => emu.stop());
afterEach(async () => {
  cleanup();
  await closeTestApps();
});

/** Searches Transfer at `baseUrl` with options written as a fresh object literal on every render. */
function Collections({ baseUrl, seen }: { baseUrl: string; seen: TransferClient[] }) {
  const transfer = useGlobusClient(TransferClient, { baseUrl, retryLimit: 0, appScopes: [TRANSFER_ALL] });
  seen.push(transfer);
  const [names, setNames] = useState<string>("searching");
  useEffect(() => {
    void transfer.endpointSearch("tutorial").then(
      ({ DATA }) => setNames(DATA.map((collection) => collection.display_name).join(", ")),
      (error: unknown) => setNames(`failed: ${String(error)}`),
    );
  }, [transfer]);
  return <p data-testid={baseUrl}>{names}</p>;
}

/** The client a component gets without options, next to those with. */
function DefaultClient({ seen }: { seen: TransferClient[] }) {
  seen.push(useGlobusClient(TransferClient));
  return null;
}

describe("useGlobusClient(ClientClass, options)", () => {
  it("builds the client with the options (a baseUrl the emulator answers at) and keeps it while their values stay", async () => {
    const tab = makeTestApp(emu, await emu.newClientId());
    await signIn(tab);
    const ownPort = emu.info.transferUrl;
    const underAuth = `${emu.url}transfer/`;
    const seen: TransferClient[] = [];
    const other: TransferClient[] = [];
    const defaults: TransferClient[] = [];
    const page = (count: number) => (
      <StrictMode>
        <GlobusAppProvider app={tab.app}>
          <p>render {count}</p>
          <Collections baseUrl={ownPort} seen={seen} />
          <Collections baseUrl={ownPort} seen={seen} />
          {count > 1 ? <Collections baseUrl={underAuth} seen={other} /> : null}
          <DefaultClient seen={defaults} />
        </GlobusAppProvider>
      </StrictMode>
    );
    const view = render(page(1));
    await waitFor(() =>
      expect(screen.getAllByTestId(ownPort)[0]?.textContent).toContain("Emulator Tutorial Collection 1"),
    );
    view.rerender(page(2));
    await waitFor(() =>
      expect(screen.getByTestId(underAuth).textContent).toContain("Emulator Tutorial Collection 1"),
    );

    // Equal values, new objects on every render, two components: one client, at the given URL.
    expect(seen.length).toBeGreaterThanOrEqual(4);
    expect(new Set(seen).size).toBe(1);
    expect(seen[0]?.baseUrl).toBe(ownPort);
    expect(seen[0]?.app).toBe(tab.app);
    // Another baseUrl is another client; no options at all, the environment's Transfer.
    expect(new Set(other).size).toBe(1);
    expect(other[0]?.baseUrl).toBe(underAuth);
    expect(new Set(defaults).size).toBe(1);
    expect(defaults[0]).not.toBe(seen[0]);
    expect(defaults[0]?.baseUrl).not.toBe(ownPort);
  });
});
