import { GlobusAppProvider } from "globus-app/react";
import { type ReactNode, useState } from "react";
import { Portal } from "./portal.tsx";
import { portalApp } from "./portal-app.ts";

/**
 * The portal under its `GlobusAppProvider`, which finishes a redirect login that came back to this
 * page — once, even under StrictMode — and, in a login popup, hands the callback to the opener. A
 * failed one (consent denied) is kept for the page to show.
 *
 * @example
 * ```tsx
 * createRoot(element).render(<StrictMode><AppRoot /></StrictMode>);
 * ```
 */
export function AppRoot(): ReactNode {
  const [redirectError, setRedirectError] = useState<unknown>();
  return (
    <GlobusAppProvider app={portalApp} onRedirectError={setRedirectError}>
      <Portal redirectError={redirectError} />
    </GlobusAppProvider>
  );
}
