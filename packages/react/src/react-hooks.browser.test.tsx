import type { UserApp } from "@globus-app/browser";
import { AuthClient } from "@globus-app/core";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { StrictMode, useEffect, useState, version } from "react";
import { version as domVersion } from "react-dom";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { navigateInFrame, TestEmulator, TRANSFER } from "../../browser/test-support/emulator-fixture.ts";
import { closeTestApps, makeTestApp } from "../test-support/browser-apps.ts";
import {
  GlobusAppProvider,
  useAuthorizer,
  useGlobusApp,
  useGlobusClient,
  useLogin,
  useLoginRequired,
  useLogout,
  useUser,
} from "./index.ts";

let emu: TestEmulator;
beforeAll(async () => {
  emu = await TestEmulator.start({ autoApprove: true });
});
afterAll(() => emu.stop());
afterEach(async () => {
  cleanup();
  await closeTestApps();
});

const makeApp = (clientId: string) => makeTestApp(emu, clientId);

function Portal() {
  const user = useUser();
  const required = useLoginRequired();
  const { login, pending, error } = useLogin();
  const { logout, pending: loggingOut } = useLogout();
  const { authorizer } = useAuthorizer(TRANSFER);
  const [header, setHeader] = useState<string>();
  useEffect(() => {
    setHeader(undefined);
    void authorizer?.getAuthorizationHeader().then(setHeader);
  }, [authorizer]);
  if (user === undefined) return <p>loading</p>;
  return (
    <div>
      <p data-testid="user">{user ? user.preferred_username : "signed out"}</p>
      <p data-testid="required">{String(required)}</p>
      <p data-testid="header">{header ? header.split(" ")[0] : "none"}</p>
      <button type="button" onClick={() => void login({ force: true })}>
        {pending ? "logging in" : "log in"}
      </button>
      <button type="button" onClick={() => void logout()}>
        {loggingOut ? "logging out" : "log out"}
      </button>
      {error ? <p role="alert">{String(error)}</p> : null}
    </div>
  );
}

function Clients({ seen, app }: { seen: AuthClient[]; app: UserApp }) {
  seen.push(useGlobusClient(AuthClient));
  expect(useGlobusApp()).toBe(app);
  return null;
}

function Orphan() {
  useGlobusApp();
  return null;
}

/** Counts its effect's runs: two under StrictMode in development (React 18 and 19 alike). */
function EffectRuns({ onRun }: { onRun: () => void }) {
  useEffect(() => {
    onRun();
  }, [onRun]);
  return null;
}

describe(`@globus-app/react in Chromium, React ${inject("reactMajor")}`, () => {
  it("runs on the React version its project chose (the React 18 project must not fall back to 19)", () => {
    expect(version.split(".")[0]).toBe(String(inject("reactMajor")));
    expect(domVersion).toBe(version);
  });

  it("logs in by redirect: pending login, the callback completed ONCE under StrictMode, then the person, login state and authorizer", async () => {
    const clientId = await emu.newClientId();
    const before = makeApp(clientId);
    const first = render(
      <StrictMode>
        <GlobusAppProvider app={before.app}>
          <Portal />
        </GlobusAppProvider>
      </StrictMode>,
    );
    const page = within(first.container);
    expect(await page.findByTestId("user")).toHaveProperty("textContent", "signed out");
    expect(page.getByTestId("required").textContent).toBe("true");
    expect(page.getByTestId("header").textContent).toBe("none");
    fireEvent.click(page.getByText("log in"));
    // The redirect flow navigates away, so the login stays pending.
    expect(await page.findByText("logging in")).toBeTruthy();
    const callback = await navigateInFrame(await before.capture.next());
    first.unmount();

    // The page loads again at the callback: a new app, as after a real navigation.
    const after = makeApp(clientId);
    const handleRedirect = vi.spyOn(after.app, "handleRedirect");
    const onRedirect = vi.fn();
    const effectRuns = vi.fn();
    await emu.control("resetCounts");
    render(
      <StrictMode>
        <GlobusAppProvider app={after.app} callbackUrl={callback} onRedirect={onRedirect}>
          <EffectRuns onRun={effectRuns} />
          <Portal />
        </GlobusAppProvider>
      </StrictMode>,
    );
    // No "signed out" flash while the callback is being completed.
    expect(screen.getByText("loading")).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId("user").textContent).not.toBe("signed out"));
    expect(screen.getByTestId("user").textContent).toBeTruthy();
    expect(screen.getByTestId("required").textContent).toBe("false");
    await waitFor(() => expect(screen.getByTestId("header").textContent).toBe("Bearer"));
    // StrictMode ran every effect twice, the provider's included, and the callback was completed once.
    expect(effectRuns).toHaveBeenCalledTimes(2);
    expect(handleRedirect).toHaveBeenCalledTimes(1);
    expect(onRedirect).toHaveBeenCalledTimes(1);
    expect(onRedirect).toHaveBeenCalledWith({ returnUrl: expect.any(String) });
    expect((await emu.control("requestCounts"))["token:authorization_code"]).toBe(1);
  });

  it("two tabs: a login in one shows in the other, and a logout in the other signs the first out", async () => {
    const clientId = await emu.newClientId();
    const a = makeApp(clientId);
    const b = makeApp(clientId);
    const tabA = within(
      render(
        <GlobusAppProvider app={a.app}>
          <Portal />
        </GlobusAppProvider>,
      ).container,
    );
    const tabB = within(
      render(
        <StrictMode>
          <GlobusAppProvider app={b.app}>
            <Portal />
          </GlobusAppProvider>
        </StrictMode>,
      ).container,
    );
    expect(await tabA.findByTestId("user")).toHaveProperty("textContent", "signed out");
    expect(await tabB.findByTestId("user")).toHaveProperty("textContent", "signed out");

    void a.app.login({ force: true }).catch(() => {});
    expect(await a.app.handleRedirect(await navigateInFrame(await a.capture.next()))).not.toBeNull();
    const name = (await a.app.getUser())?.preferred_username;
    expect(name).toBeTruthy();
    await waitFor(() => expect(tabA.getByTestId("user").textContent).toBe(name));
    // Tab B learns of it from A's events (BroadcastChannel), with no action of its own.
    await waitFor(() => expect(tabB.getByTestId("user").textContent).toBe(name));
    expect(tabB.getByTestId("required").textContent).toBe("false");
    await waitFor(() => expect(tabB.getByTestId("header").textContent).toBe("Bearer"));

    fireEvent.click(tabB.getByText("log out"));
    await waitFor(() => expect(tabB.getByTestId("user").textContent).toBe("signed out"));
    await waitFor(() => expect(tabA.getByTestId("user").textContent).toBe("signed out"));
    expect(tabA.getByTestId("required").textContent).toBe("true");
    expect(tabA.getByTestId("header").textContent).toBe("none");
    expect(tabB.getByText("log out")).toBeTruthy();
  });

  it("shows a failed login as an error and clears the pending state", async () => {
    const { app } = makeApp(await emu.newClientId());
    vi.spyOn(app, "login").mockRejectedValueOnce(new Error("the person said no"));
    render(
      <GlobusAppProvider app={app}>
        <Portal />
      </GlobusAppProvider>,
    );
    fireEvent.click(await screen.findByText("log in"));
    expect((await screen.findByRole("alert")).textContent).toContain("the person said no");
    expect(screen.getByText("log in")).toBeTruthy();
  });

  it("useGlobusClient gives one client per app and class; useGlobusApp needs a provider", async () => {
    const { app } = makeApp(await emu.newClientId());
    const seen: AuthClient[] = [];
    render(
      <StrictMode>
        <GlobusAppProvider app={app}>
          <Clients seen={seen} app={app} />
          <Clients seen={seen} app={app} />
        </GlobusAppProvider>
      </StrictMode>,
    );
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(new Set(seen).size).toBe(1);
    expect(seen[0]?.app).toBe(app);

    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(() => render(<Orphan />)).toThrow(/GlobusAppProvider/);
    error.mockRestore();
  });

  it("handleRedirect={false} leaves a callback alone", async () => {
    const { app } = makeApp(await emu.newClientId());
    const handleRedirect = vi.spyOn(app, "handleRedirect");
    render(
      <GlobusAppProvider app={app} handleRedirect={false}>
        <Portal />
      </GlobusAppProvider>,
    );
    expect(await screen.findByTestId("user")).toHaveProperty("textContent", "signed out");
    expect(handleRedirect).not.toHaveBeenCalled();
  });
});
