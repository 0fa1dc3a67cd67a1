import type { GlobusApp, GlobusClient, GlobusClientOptions } from "@globus-app/core";
import { storeOf } from "./app-store.ts";
import { useGlobusApp } from "./globus-app-provider.tsx";

/** A `GlobusClient` class built from options with an `app`, as every service client is. */
export type GlobusClientClass<C extends GlobusClient> = new (options: GlobusClientOptions) => C;

const clients = new WeakMap<GlobusApp, Map<GlobusClientClass<GlobusClient>, GlobusClient>>();

/**
 * A client of the provider's app (`new ClientClass({ app })`), one per app and class, shared by
 * every component: the client registers its scopes with the app once, and the login state is read
 * again to include them.
 *
 * @param ClientClass - e.g. `TransferClient` from `globus-app`
 * @example
 * ```tsx
 * import { TransferClient } from "globus-app";
 *
 * function Endpoints() {
 *   const transfer = useGlobusClient(TransferClient);
 *   const [names, setNames] = useState<string[]>([]);
 *   useEffect(() => {
 *     void transfer.endpointSearch({ filter_scope: "my-endpoints" })
 *       .then((page) => setNames(page.DATA.map((e) => e.display_name)));
 *   }, [transfer]);
 *   return <ul>{names.map((n) => <li key={n}>{n}</li>)}</ul>;
 * }
 * ```
 */
export function useGlobusClient<C extends GlobusClient>(ClientClass: GlobusClientClass<C>): C {
  const app = useGlobusApp();
  let byClass = clients.get(app);
  if (!byClass) {
    byClass = new Map();
    clients.set(app, byClass);
  }
  let client = byClass.get(ClientClass);
  if (!client) {
    client = new ClientClass({ app });
    byClass.set(ClientClass, client);
    // Its scopes may have made a login required; tokens are unchanged, so authorizers stay.
    storeOf(app).refresh(false);
  }
  return client as C;
}
