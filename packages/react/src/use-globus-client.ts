import type { GlobusApp, GlobusClient, GlobusClientOptions } from "@globus-app/core";
import { storeOf } from "./app-store.ts";
import { keyedOptions, type UseGlobusClientOptions } from "./client-options-key.ts";
import { useGlobusApp } from "./globus-app-provider.tsx";

/** A `GlobusClient` class built from options with an `app`, as every service client is. */
export type GlobusClientClass<C extends GlobusClient> = new (options: GlobusClientOptions) => C;

type ClientsByKey = Map<string, GlobusClient>;
const clients = new WeakMap<GlobusApp, Map<GlobusClientClass<GlobusClient>, ClientsByKey>>();

/**
 * A client of the provider's app (`new ClientClass({ ...options, app })`), one per app, class and
 * option values, shared by every component: the client registers its scopes with the app once, and
 * the login state is read again to include them.
 *
 * The options are compared by value, not by the object's identity, so an object literal written
 * in the component keeps the same client across renders: strings and numbers (`baseUrl`,
 * `environment`, `retryLimit`, `timeoutMs`, …) by value, `appScopes` by the scopes' wire form,
 * and functions (`fetch`) by identity — define such a function outside the component (or memoise
 * it), or every render builds a new client.
 *
 * @param ClientClass - e.g. `TransferClient` from `globus-app`
 * @param options - the client's options less `app` (the provider's) and `authorizer`, e.g.
 *   `{ baseUrl }` for a Transfer other than the environment's.
 * @example
 * ```tsx
 * import { TransferClient } from "globus-app";
 *
 * function Endpoints({ transferUrl }: { transferUrl: string }) {
 *   const transfer = useGlobusClient(TransferClient, { baseUrl: transferUrl });
 *   const [names, setNames] = useState<string[]>([]);
 *   useEffect(() => {
 *     void transfer.endpointSearch("tutorial")
 *       .then(({ DATA }) => setNames(DATA.map((e) => e.display_name ?? e.id)));
 *   }, [transfer]);
 *   return <ul>{names.map((n) => <li key={n}>{n}</li>)}</ul>;
 * }
 * ```
 */
export function useGlobusClient<C extends GlobusClient>(
  ClientClass: GlobusClientClass<C>,
  options: UseGlobusClientOptions = {},
): C {
  const app = useGlobusApp();
  let byClass = clients.get(app);
  if (!byClass) {
    byClass = new Map();
    clients.set(app, byClass);
  }
  let byKey = byClass.get(ClientClass);
  if (!byKey) {
    byKey = new Map();
    byClass.set(ClientClass, byKey);
  }
  const keyed = keyedOptions(options);
  let client = byKey.get(keyed.key);
  if (!client) {
    client = new ClientClass({ ...keyed.options, app });
    byKey.set(keyed.key, client);
    // Its scopes may have made a login required; tokens are unchanged, so authorizers stay.
    storeOf(app).refresh(false);
  }
  return client as C;
}
