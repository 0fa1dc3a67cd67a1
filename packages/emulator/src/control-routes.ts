import { type EmulatorClient, RegistrationError } from "./client-identity-registry.ts";
import { ControlError } from "./emulator-control.ts";
import { FaultSpecError } from "./faults.ts";
import type { RequestContext, RouteHandler } from "./request-context.ts";

/** @internal One `/_emulator/…` route. */
export interface ControlRoute {
  readonly path: string;
  readonly methods: Readonly<Partial<Record<"GET" | "POST" | "DELETE", RouteHandler>>>;
  /** One line for the index at `GET /_emulator`. */
  readonly summary: string;
}

type JsonObject = Record<string, unknown>;

function jsonBody(ctx: RequestContext): JsonObject | undefined {
  const text = ctx.body.toString("utf8").trim();
  if (text === "") return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as JsonObject;
  } catch {
    // Reported below, like any other non-object body.
  }
  ctx.respond.oauthError(400, "invalid_request", "the body must be a JSON object");
  return undefined;
}

/** Runs a control action and answers its result, turning argument errors into 400s. */
function action(run: (body: JsonObject, ctx: RequestContext) => unknown, status = 200): RouteHandler {
  return (ctx) => {
    const body = ctx.method === "GET" ? {} : jsonBody(ctx);
    if (body === undefined) return;
    let result: unknown;
    try {
      result = run(body, ctx);
    } catch (error) {
      if (
        error instanceof ControlError ||
        error instanceof RegistrationError ||
        error instanceof FaultSpecError
      ) {
        return ctx.respond.oauthError(400, "invalid_request", error.message);
      }
      throw error;
    }
    ctx.respond.json(status, result ?? { ok: true });
  };
}

/**
 * @internal A client as the control API shows it: everything but the secret. Whoever can reach
 * the control API can already mint tokens, but a secret read over HTTP outlives the emulator (it
 * may be one the person reuses elsewhere) and is what the audit saw a foreign page take away. The
 * state file keeps secrets: it is the person's own file, mode 0600.
 */
export function publicClient(client: EmulatorClient): Omit<EmulatorClient, "secret"> {
  return { id: client.id, type: client.type, name: client.name, redirectUris: [...client.redirectUris] };
}

const optionalNumber = (ctx: RequestContext, name: string): number | undefined => {
  const raw = ctx.query.get(name);
  if (raw === null) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new ControlError(`${name} must be a non-negative integer`);
  return value;
};

/** @internal The HTTP face of the control API (see README for shapes). */
export const CONTROL_ROUTES: readonly ControlRoute[] = [
  {
    path: "/_emulator/state",
    summary: "GET: clock, lifetimes, auto-approve, clients, identities, requirements and faults",
    methods: {
      GET: action((_body, { control, state, baseUrl }) => ({
        url: baseUrl,
        issuer: state.issuer,
        now: control.now(),
        clockOffset: state.clockOffset,
        tokenLifetimes: state.lifetimes,
        autoApprove: state.autoApprove,
        clients: [...state.clients.values()].map(publicClient),
        identities: [...state.identities.values()],
        requirements: control.requirements(),
        faults: control.faults(),
      })),
    },
  },
  {
    path: "/_emulator/clients",
    summary: "POST {id, secret?, name?, redirectUris?}: register a client",
    methods: {
      POST: action((body, { control }) => publicClient(control.registerClient(body as never)), 201),
    },
  },
  {
    path: "/_emulator/identities",
    summary: "POST {username, id?, name?, email?, organization?, identityProvider?, …}: register an identity",
    methods: { POST: action((body, { control }) => control.registerIdentity(body as never), 201) },
  },
  {
    path: "/_emulator/token-lifetimes",
    summary: "POST {accessToken?, refreshToken?} (seconds): set token lifetimes",
    methods: {
      POST: action((body, { control }) => {
        const lifetimes: { accessToken?: number; refreshToken?: number } = {};
        if (body.accessToken !== undefined) lifetimes.accessToken = body.accessToken as number;
        if (body.refreshToken !== undefined) lifetimes.refreshToken = body.refreshToken as number;
        return control.setTokenLifetimes(lifetimes);
      }),
    },
  },
  {
    path: "/_emulator/clock/advance",
    summary: "POST {seconds}: move the emulator clock",
    methods: {
      POST: action((body, { control, state }) => ({
        now: control.advanceClock(body.seconds as number),
        clockOffset: state.clockOffset,
      })),
    },
  },
  {
    path: "/_emulator/clock/reset",
    summary: "POST: back to real time",
    methods: { POST: action((_body, { control }) => ({ now: control.resetClock(), clockOffset: 0 })) },
  },
  {
    path: "/_emulator/revoke-all",
    summary: "POST: revoke every token, code and session",
    methods: { POST: action((_body, { control }) => control.revokeAll()) },
  },
  {
    path: "/_emulator/requirements/mfa",
    summary: "POST {collectionId}: the fake Transfer ls demands an MFA login",
    methods: {
      POST: action((body, { control }) => {
        control.requireMfa(body.collectionId as string);
        return { requirements: control.requirements() };
      }),
    },
  },
  {
    path: "/_emulator/requirements/data-access",
    summary: "POST {collectionId}: the fake Transfer ls demands data_access consent",
    methods: {
      POST: action((body, { control }) => {
        control.requireDataAccess(body.collectionId as string);
        return { requirements: control.requirements() };
      }),
    },
  },
  {
    path: "/_emulator/requirements/policies",
    summary: "POST {collectionId, policies}: the fake Transfer ls demands a login satisfying these policies",
    methods: {
      POST: action((body, { control }) => {
        control.requirePolicies(body.collectionId as string, body.policies as string[]);
        return { requirements: control.requirements() };
      }),
    },
  },
  {
    path: "/_emulator/requirements",
    summary: "GET: list requirements; DELETE [?collectionId=…]: clear them",
    methods: {
      GET: action((_body, { control }) => ({ requirements: control.requirements() })),
      DELETE: action((_body, { control, query }) => {
        control.clearRequirements(query.get("collectionId") ?? undefined);
        return { requirements: control.requirements() };
      }),
    },
  },
  {
    path: "/_emulator/auto-approve",
    summary: "POST {autoApprove: false | true | identity id or username}",
    methods: {
      POST: action((body, { control, state }) => {
        control.setAutoApprove(body.autoApprove as boolean);
        return { autoApprove: state.autoApprove };
      }),
    },
  },
  {
    path: "/_emulator/faults",
    summary:
      "POST {endpoint, kind, count?, latencyMs?, status?, retryAfter?}: inject; GET: list; DELETE: clear",
    methods: {
      GET: action((_body, { control }) => ({ faults: control.faults() })),
      POST: action((body, { control }) => {
        control.injectFault(body as never);
        return { faults: control.faults() };
      }, 201),
      DELETE: action((_body, { control }) => {
        control.clearFaults();
        return { faults: [] };
      }),
    },
  },
  {
    path: "/_emulator/requests",
    summary: "GET [?limit=N]: {counts, requests}; DELETE: reset counts and log",
    methods: {
      GET: action((_body, ctx) => ({
        counts: ctx.control.requestCounts(),
        requests: ctx.control.requestLog(optionalNumber(ctx, "limit")),
      })),
      DELETE: action((_body, { control }) => {
        control.resetCounts();
        return { counts: {} };
      }),
    },
  },
  {
    path: "/_emulator/tokens",
    summary:
      "POST {clientId, scope, identity?, refreshTokens?, mfa?, policies?}: mint tokens (token-endpoint JSON)",
    methods: { POST: action((body, { control }) => control.issueTokens(body as never)) },
  },
  {
    path: "/_emulator/consents",
    summary: "GET ?identity=…[&clientId=…]: consents of an identity",
    methods: {
      GET: action((_body, { control, query, state }) => {
        const identity = state.findIdentity(query.get("identity") ?? "");
        if (!identity) throw new ControlError("unknown identity");
        return { consents: control.consents(identity.id, query.get("clientId") ?? undefined) };
      }),
    },
  },
];

/** @internal `GET /_emulator`: the route index. */
export const handleControlIndex: RouteHandler = (ctx) => {
  ctx.respond.json(200, {
    name: "globus-auth-emulator control API",
    routes: CONTROL_ROUTES.map((route) => ({
      path: route.path,
      methods: Object.keys(route.methods),
      summary: route.summary,
    })),
  });
};
