import type { LoginOptions, LogoutOptions } from "@globus-app/core";
import { useCallback, useEffect, useRef, useState } from "react";
import { useGlobusApp } from "./globus-app-provider.tsx";

/** What {@link useLogin} returns. */
export interface UseLoginResult {
  /**
   * Runs `app.login(options)`. Resolves when the login finished, or when it failed (the error is in
   * `error`, not thrown). With the redirect flow the page navigates away and it never resolves.
   */
  login: (options?: LoginOptions) => Promise<void>;
  /** True while a login runs (and, with the redirect flow, until the page leaves). */
  pending: boolean;
  /** The last login's error (`LoginDeniedError`, `PopupBlockedError`, …); cleared by the next one. */
  error: unknown;
}

/** What {@link useLogout} returns. */
export interface UseLogoutResult {
  /** Runs `app.logout(options)`; resolves when done, with a failure in `error` rather than thrown. */
  logout: (options?: LogoutOptions) => Promise<void>;
  /** True while a logout runs. */
  pending: boolean;
  /** The last logout's error (e.g. failed token revocations); cleared by the next one. */
  error: unknown;
}

interface ActionState {
  pending: boolean;
  error: unknown;
}

/** One pending/error state around an app call; results of an unmounted component are dropped. */
function useAction<A>(run: (options: A | undefined) => Promise<void>) {
  const [state, setState] = useState<ActionState>({ pending: false, error: undefined });
  const mounted = useRef(true);
  useEffect(() => {
    // StrictMode unmounts and mounts again: set it on every mount, not only at first render.
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const runRef = useRef(run);
  runRef.current = run;
  const start = useCallback(async (options?: A) => {
    setState({ pending: true, error: undefined });
    let error: unknown;
    try {
      await runRef.current(options);
    } catch (e) {
      error = e;
    }
    if (mounted.current) setState({ pending: false, error });
  }, []);
  return { start, ...state };
}

/**
 * Starts a login of the provider's app, with its pending and error states. The user and login
 * state ({@link useUser}, {@link useLoginRequired}) update from the app's `login` event.
 *
 * @example
 * ```tsx
 * function SignIn() {
 *   const { login, pending, error } = useLogin();
 *   return (
 *     <>
 *       <button disabled={pending} onClick={() => login()}>Sign in with Globus</button>
 *       {error ? <p role="alert">Login failed: {String(error)}</p> : null}
 *     </>
 *   );
 * }
 * ```
 */
export function useLogin(): UseLoginResult {
  const app = useGlobusApp();
  const { start, pending, error } = useAction<LoginOptions>((options) => app.login(options));
  return { login: start, pending, error };
}

/**
 * Logs out of the provider's app (revokes and removes the tokens; `{ globusSession: true }` also
 * ends the Globus session), with its pending and error states.
 *
 * @example
 * ```tsx
 * function SignOut() {
 *   const { logout, pending } = useLogout();
 *   return <button disabled={pending} onClick={() => logout()}>Sign out</button>;
 * }
 * ```
 */
export function useLogout(): UseLogoutResult {
  const app = useGlobusApp();
  const { start, pending, error } = useAction<LogoutOptions>((options) => app.logout(options));
  return { logout: start, pending, error };
}
