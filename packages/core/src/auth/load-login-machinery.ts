import { safeCause } from "../errors/globus-error.ts";
import { GlobusNetworkError } from "../errors/network-error.ts";

type LoginMachineryModule = typeof import("./login-machinery.ts");

/** The login chunk's `LoginMachinery` class, as a type (without a static import of the chunk). */
export type LoadedLoginMachinery = InstanceType<LoginMachineryModule["LoginMachinery"]>;

let loading: Promise<LoginMachineryModule> | undefined;

/**
 * Loads the OAuth machinery (oauth4webapi and everything that talks to Globus Auth's OAuth
 * endpoints). A dynamic `import()` so that bundlers put it in a chunk of its own, which a page load
 * of a signed-in person never downloads; the first login, callback, refresh, logout or consents check
 * fetches it. One load is shared by every caller. A failed load (offline, or a redeploy that removed
 * the old chunk files) is a `GlobusNetworkError` and is not remembered: the next call loads again.
 *
 * @throws GlobusNetworkError (`NETWORK_ERROR`) when the module cannot be loaded.
 * @internal
 */
export function loadLoginMachinery(): Promise<LoginMachineryModule> {
  loading ??= import("./login-machinery.ts").catch((error: unknown) => {
    loading = undefined;
    throw new GlobusNetworkError(
      "The login code of globus-app could not be loaded (offline, or the site was updated: reload the page); try again.",
      { cause: safeCause(error) },
    );
  });
  return loading;
}
