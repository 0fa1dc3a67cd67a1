import type { GlobusAuthorizer } from "@globus-app/core";
import { useEffect, useState } from "react";
import { useGlobusApp } from "./globus-app-provider.tsx";
import { useAppSnapshot } from "./use-user.ts";

/** What {@link useAuthorizer} returns. */
export interface UseAuthorizerResult {
  /** The authorizer, undefined until fetched, while a login is required, and after an error. */
  authorizer: GlobusAuthorizer | undefined;
  /** The error of `app.getAuthorizer`, if it failed. */
  error: unknown;
}

interface Fetched {
  key: string;
  authorizer: GlobusAuthorizer | undefined;
  error: unknown;
}

/**
 * The app's authorizer of a resource server (`app.getAuthorizer(rs)`), fetched again whenever the
 * tokens change (here or in another tab). While a login is required it is not asked for, so
 * rendering never starts a login by itself (the default `tokenValidationErrorHandler` would).
 *
 * @param resourceServer - e.g. `"transfer.api.globus.org"`
 * @example
 * ```tsx
 * function Token() {
 *   const { authorizer } = useAuthorizer("transfer.api.globus.org");
 *   const [header, setHeader] = useState<string>();
 *   useEffect(() => void authorizer?.getAuthorizationHeader().then(setHeader), [authorizer]);
 *   return <code>{header ?? "no token"}</code>;
 * }
 * ```
 */
export function useAuthorizer(resourceServer: string): UseAuthorizerResult {
  const app = useGlobusApp();
  const { ready, loginRequired, version } = useAppSnapshot();
  const key = `${version}\n${resourceServer}`;
  const [fetched, setFetched] = useState<Fetched | undefined>(undefined);
  const wanted = ready && !loginRequired;
  useEffect(() => {
    if (!wanted) return;
    let current = true;
    app.getAuthorizer(resourceServer).then(
      (authorizer) => current && setFetched({ key, authorizer, error: undefined }),
      (error: unknown) => current && setFetched({ key, authorizer: undefined, error }),
    );
    return () => {
      current = false;
    };
  }, [app, resourceServer, key, wanted]);
  // A result of older tokens or another resource server is not shown, even for one render.
  if (!wanted || fetched?.key !== key) return { authorizer: undefined, error: undefined };
  return { authorizer: fetched.authorizer, error: fetched.error };
}
