import {
  handleConsents,
  handleIdentities,
  handleJwks,
  handleOpenidConfiguration,
  handleUserinfo,
} from "./api-routes.ts";
import { handleAuthCodePage, handleAuthorizeGet, handleAuthorizePost } from "./authorize-endpoint.ts";
import { COMPUTE_ROUTES, runCompute } from "./compute-routes.ts";
import { CONTROL_ROUTES, handleControlIndex } from "./control-routes.ts";
import { FLOWS_ROUTES, runFlows } from "./flows-routes.ts";
import { GROUPS_ROUTES, runGroups } from "./groups-routes.ts";
import type { RequestContext, RouteHandler } from "./request-context.ts";
import { runSearch, SEARCH_ROUTES } from "./search-routes.ts";
import { runTimers, TIMERS_ROUTES } from "./timers-routes.ts";
import { handleIntrospect, handleRevoke, handleToken } from "./token-endpoint.ts";
import { runTransfer, TRANSFER_ROUTES } from "./transfer-routes.ts";
import { handleWebLogout } from "./web-logout-endpoint.ts";

/** @internal A route of the emulator: a path pattern, a handler per method, and how it is served. */
export interface Route {
  readonly pattern: RegExp;
  /** Name for counts, logs and faults; `undefined` for control routes, which are neither. */
  readonly endpoint: string | undefined;
  readonly methods: Readonly<Partial<Record<string, RouteHandler>>>;
  /** Browser-facing: HTML errors and no CORS. */
  readonly browser?: boolean;
  readonly control?: boolean;
  /** A fake service API (JSON bodies, the service's errors), and which. */
  readonly service?: EmulatedService;
}

/** The services the emulator fakes besides Auth, each on its own port and under `/<service>/`. */
export const EMULATED_SERVICES = ["transfer", "groups", "search", "flows", "timer", "compute"] as const;
/** @internal One of {@link EMULATED_SERVICES}. */
export type EmulatedService = (typeof EMULATED_SERVICES)[number];

/** A fake service's routes mounted under `/<service>/<version>/`, each call run by `run`. */
function mount<H>(
  service: EmulatedService,
  prefix: string,
  routes: readonly { pattern: RegExp; methods: Readonly<Partial<Record<string, H>>> }[],
  run: (ctx: RequestContext, handler: H) => void,
): Route[] {
  return routes.map((route) => ({
    // Flows has no version segment: its paths start at the root.
    pattern: new RegExp(
      `^/${service}/${prefix === "" ? "" : `${prefix.replace(".", "\\.")}/`}${route.pattern.source.slice(1)}`,
    ),
    endpoint: service,
    methods: Object.fromEntries(
      Object.entries(route.methods).map(([method, handler]) => [
        method,
        (ctx: RequestContext) => run(ctx, handler as H),
      ]),
    ),
    service,
  }));
}

const exact = (path: string): RegExp => new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);

/**
 * @internal Every route of the emulator, in matching order: Globus Auth's endpoints, the fake
 * services under `/<service>/`, and the control API under `/_emulator/`.
 */
export const ROUTES: readonly Route[] = [
  {
    pattern: exact("/.well-known/openid-configuration"),
    endpoint: "openid-configuration",
    methods: { GET: handleOpenidConfiguration },
  },
  { pattern: exact("/jwk.json"), endpoint: "jwks", methods: { GET: handleJwks } },
  {
    pattern: exact("/v2/oauth2/authorize"),
    endpoint: "authorize",
    methods: { GET: handleAuthorizeGet, POST: handleAuthorizePost },
    browser: true,
  },
  {
    pattern: exact("/v2/web/auth-code"),
    endpoint: "auth-code",
    methods: { GET: handleAuthCodePage },
    browser: true,
  },
  {
    pattern: exact("/v2/web/logout"),
    endpoint: "web-logout",
    methods: { GET: handleWebLogout },
    browser: true,
  },
  { pattern: exact("/v2/oauth2/token"), endpoint: "token", methods: { POST: handleToken } },
  { pattern: exact("/v2/oauth2/token/revoke"), endpoint: "revoke", methods: { POST: handleRevoke } },
  {
    pattern: exact("/v2/oauth2/token/introspect"),
    endpoint: "introspect",
    methods: { POST: handleIntrospect },
  },
  {
    pattern: exact("/v2/oauth2/userinfo"),
    endpoint: "userinfo",
    methods: { GET: handleUserinfo, POST: handleUserinfo },
  },
  { pattern: exact("/v2/api/identities"), endpoint: "identities", methods: { GET: handleIdentities } },
  {
    pattern: /^\/v2\/api\/identities\/([^/]+)\/consents$/,
    endpoint: "consents",
    methods: { GET: handleConsents },
  },
  ...mount("transfer", "v0.10", TRANSFER_ROUTES, runTransfer),
  ...mount("groups", "v2", GROUPS_ROUTES, runGroups),
  ...mount("search", "v1", SEARCH_ROUTES, runSearch),
  ...mount("flows", "", FLOWS_ROUTES, runFlows),
  ...mount("timer", "", TIMERS_ROUTES, runTimers),
  ...mount("compute", "", COMPUTE_ROUTES, runCompute),
  { pattern: /^\/_emulator\/?$/, endpoint: undefined, methods: { GET: handleControlIndex }, control: true },
  ...CONTROL_ROUTES.map((route) => ({
    pattern: exact(route.path),
    endpoint: undefined,
    methods: route.methods,
    control: true,
  })),
];

/**
 * @internal The first route whose pattern matches `path`, with the pattern's (still encoded)
 * captures; `undefined` when none does.
 */
export function findRoute(path: string): { route: Route; captures: string[] } | undefined {
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (match) return { route, captures: match.slice(1) };
  }
  return undefined;
}
