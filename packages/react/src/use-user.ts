import type { GlobusUser } from "@globus-app/core";
import { useSyncExternalStore } from "react";
import { type AppSnapshot, INITIAL_SNAPSHOT, storeOf } from "./app-store.ts";
import { useGlobusApp } from "./globus-app-provider.tsx";

const serverSnapshot = (): AppSnapshot => INITIAL_SNAPSHOT;

/** The app's snapshot, kept current by its events (this tab's and other tabs'). */
export function useAppSnapshot(): AppSnapshot {
  const store = storeOf(useGlobusApp());
  return useSyncExternalStore(store.subscribe, store.getSnapshot, serverSnapshot);
}

/**
 * The signed-in person (`app.getUser()`: the id_token's claims), null when nobody is, undefined
 * until known (first render, server rendering, a redirect login still completing). Re-renders on
 * login, logout and identity changes, also those of other tabs.
 *
 * @example
 * ```tsx
 * function Greeting() {
 *   const user = useUser();
 *   if (user === undefined) return <p>Loading…</p>;
 *   return <p>{user ? `Signed in as ${user.preferred_username}` : "Signed out"}</p>;
 * }
 * ```
 */
export function useUser(): GlobusUser | null | undefined {
  const snapshot = useAppSnapshot();
  return snapshot.ready ? snapshot.user : undefined;
}

/**
 * Whether a login is needed (`app.loginRequired()`: some scope requirement has no usable token),
 * undefined until known. Re-renders when tokens change, also in other tabs.
 *
 * @example
 * ```tsx
 * function SignIn() {
 *   const required = useLoginRequired();
 *   const { login } = useLogin();
 *   return required ? <button onClick={() => login()}>Sign in</button> : null;
 * }
 * ```
 */
export function useLoginRequired(): boolean | undefined {
  const snapshot = useAppSnapshot();
  return snapshot.ready ? snapshot.loginRequired : undefined;
}
