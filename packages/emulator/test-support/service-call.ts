import { SAMPLE_IDENTITIES, SAMPLE_NATIVE_CLIENT } from "../src/sample-data.ts";
import type { Emulator, EmulatorServiceUrls } from "../src/start-emulator.ts";

/** A fake service's answer: status, parsed JSON body (`{}` when empty) and headers. */
export interface ServiceAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** Options of one call: `token: null` sends no Authorization header; `base` another emulator's URL. */
export interface ServiceCallInit {
  method?: string;
  body?: unknown;
  token?: string | null;
  headers?: Record<string, string>;
  base?: string;
}

/**
 * Sends one request to `url`: a bearer token unless `token` is null or absent, a JSON body when
 * `body` is given (a string as is). Answers the status, the parsed JSON body and the headers.
 */
export async function sendJson(url: URL, init: Omit<ServiceCallInit, "base"> = {}): Promise<ServiceAnswer> {
  const response = await fetch(url, {
    method: init.method ?? "GET",
    headers: {
      ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}),
      ...(init.body === undefined ? {} : { "Content-Type": "application/json" }),
      ...init.headers,
    },
    ...(init.body === undefined
      ? {}
      : { body: typeof init.body === "string" ? init.body : JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {}, headers: response.headers };
}

/**
 * The HTTP helpers of a fake service's tests: `tokenFor` mints an access token for a scope and
 * identity (Ada by default), `call` sends a request to the service's own port with a token for
 * `defaultScope` unless told otherwise. `emulator` is read at each call (it starts in `beforeAll`).
 */
export function serviceCalls(
  emulator: () => Emulator,
  service: keyof EmulatorServiceUrls,
  defaultScope: string,
) {
  const tokenFor = (
    scope: string,
    identity: string = SAMPLE_IDENTITIES[0].id,
    on: Emulator = emulator(),
  ): string => on.control.issueTokens({ clientId: SAMPLE_NATIVE_CLIENT.id, scope, identity }).access_token;

  async function call(path: string, init: ServiceCallInit = {}): Promise<ServiceAnswer> {
    const token = init.token === undefined ? tokenFor(defaultScope) : init.token;
    return sendJson(new URL(path, init.base ?? emulator().serviceUrls[service]), { ...init, token });
  }

  return { tokenFor, call };
}
