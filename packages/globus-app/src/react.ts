/**
 * `globus-app/react`: a React provider and hooks over an app (React 18 or later, a peer
 * dependency). Imports nothing browser-only, so server components and SSR builds can import it.
 *
 * @example
 * ```tsx
 * import { UserApp } from "globus-app";
 * import { GlobusAppProvider, useLogin, useUser } from "globus-app/react";
 *
 * function Portal() {
 *   const user = useUser();
 *   const { login } = useLogin();
 *   if (user === undefined) return null;
 *   return user ? <p>Hello {user.name}</p> : <button onClick={() => login()}>Sign in</button>;
 * }
 * ```
 *
 * @packageDocumentation
 * @module globus-app/react
 */
export * from "@globus-app/react";
