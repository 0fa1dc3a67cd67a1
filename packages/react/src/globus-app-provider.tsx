import type { GlobusApp } from "@globus-app/core";
import { createContext, type ReactNode, useContext, useEffect } from "react";
import { storeOf } from "./app-store.ts";

const GlobusAppContext = createContext<GlobusApp | null>(null);

/** The props of {@link GlobusAppProvider}. */
export interface GlobusAppProviderProps {
  /** The app the hooks below use: a browser `UserApp` in a portal (any `GlobusApp` works). */
  app: GlobusApp;
  children?: ReactNode;
  /**
   * Whether to finish a redirect login that came back to this page (`app.handleRedirect()`), once
   * per app however often the provider mounts (React StrictMode mounts it twice).
   *
   * @default true
   */
  handleRedirect?: boolean;
  /** The address checked for a login callback. @default `location.href` */
  callbackUrl?: string;
  /**
   * Called once a redirect login completed, with where the login started.
   *
   * @default replaces the address bar's URL with `returnUrl` (`history.replaceState`)
   */
  onRedirect?: (result: { returnUrl: string }) => void;
  /**
   * Called when completing a redirect login failed (`LoginDeniedError`, a failed code exchange).
   *
   * @default logs it with `console.error`
   */
  onRedirectError?: (error: unknown) => void;
}

/**
 * Makes `app` available to the hooks below ({@link useGlobusApp}, {@link useUser},
 * {@link useLoginRequired}, {@link useLogin}, {@link useLogout}, {@link useAuthorizer},
 * {@link useGlobusClient}) and finishes a redirect login that came back to this page — once per
 * app, even under StrictMode's double effects. The redirect options are read when the app's
 * redirect is first handled. Safe to render on a server: it reads nothing there.
 *
 * @example
 * ```tsx
 * import { UserApp } from "globus-app";
 * import { GlobusAppProvider } from "globus-app/react";
 *
 * const app = new UserApp("my-portal", { clientId: "…" });
 * createRoot(root).render(
 *   <GlobusAppProvider app={app} onRedirect={({ returnUrl }) => router.replace(returnUrl)}>
 *     <Portal />
 *   </GlobusAppProvider>,
 * );
 * ```
 */
export function GlobusAppProvider(props: GlobusAppProviderProps): ReactNode {
  const { app, children } = props;
  const store = storeOf(app);
  // Before the children's subscriptions (their effects run first), which wait for the redirect.
  store.configureRedirect({
    enabled: props.handleRedirect ?? true,
    callbackUrl: props.callbackUrl,
    onRedirect: props.onRedirect,
    onRedirectError: props.onRedirectError,
  });
  useEffect(() => {
    void store.completeRedirect();
  }, [store]);
  return <GlobusAppContext.Provider value={app}>{children}</GlobusAppContext.Provider>;
}

/**
 * The app of the nearest {@link GlobusAppProvider}.
 *
 * @throws Error when no provider is above the component.
 * @example
 * ```tsx
 * function Scopes() {
 *   const app = useGlobusApp();
 *   return <pre>{JSON.stringify(app.scopeRequirements, null, 2)}</pre>;
 * }
 * ```
 */
export function useGlobusApp(): GlobusApp {
  const app = useContext(GlobusAppContext);
  if (!app) throw new Error("useGlobusApp() needs a <GlobusAppProvider app={app}> above the component.");
  return app;
}
