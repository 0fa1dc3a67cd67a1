import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { EMULATED_SERVICES, type EmulatedService } from "./emulator-routes.ts";
import { OriginPolicy } from "./origin-policy.ts";
import { createRequestHandler, type HandlerDependencies } from "./request-handler.ts";

/** @internal Where {@link startServers} listens, and which browser origins it answers. */
export interface ServerSettings {
  /** The Auth server's port (0: a free one). */
  readonly port: number;
  /** Each fake service's port (0: a free one). */
  readonly servicePorts: Readonly<Record<EmulatedService, number>>;
  readonly host: string;
  readonly allowedOrigins: readonly string[];
}

/** @internal What {@link startServers} started: the servers, their connections, and their URLs. */
export interface Started {
  readonly servers: readonly Server[];
  /** Every open connection of any of the servers. */
  readonly sockets: ReadonlySet<Socket>;
  readonly baseUrl: string;
  /** Auth's URL and each fake service's, each ending with `/` (an `EmulatorServiceUrls`). */
  readonly serviceUrls: Readonly<Record<"auth" | EmulatedService, string>>;
}

/**
 * @internal Starts the Auth server and one server per fake service, each with its own `Host` check
 * (its port) under the same CORS rules; if one cannot listen, closes those that did and throws.
 */
export async function startServers(
  settings: ServerSettings,
  deps: Omit<HandlerDependencies, "baseUrl" | "policy" | "serviceAtRoot">,
): Promise<Started> {
  const { state } = deps;
  const { allowedOrigins, host } = settings;
  let baseUrl = "";
  const handlerDeps = { ...deps, baseUrl: () => baseUrl };
  // One socket set for every server: closing destroys every connection of any.
  const sockets = new Set<Socket>();
  const policy = new OriginPolicy(state, allowedOrigins, host);
  const server = createListeningServer(createRequestHandler({ ...handlerDeps, policy }), sockets);
  const services = EMULATED_SERVICES.map((service) => {
    const servicePolicy = new OriginPolicy(state, allowedOrigins, host);
    const handler = createRequestHandler({ ...handlerDeps, policy: servicePolicy, serviceAtRoot: service });
    return { service, policy: servicePolicy, server: createListeningServer(handler, sockets) };
  });
  const servers = [server, ...services.map((entry) => entry.server)];
  await listenAll(
    [
      { server, port: settings.port },
      ...services.map((entry) => ({ server: entry.server, port: settings.servicePorts[entry.service] })),
    ],
    host,
  );
  for (const open of servers) {
    open.on("error", (error) => deps.onLog(`globus-auth-emulator: server error: ${error.message}`));
  }

  const address = server.address() as AddressInfo;
  policy.listening(address.port);
  const urlHost =
    host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "[::1]" : host.includes(":") ? `[${host}]` : host;
  baseUrl = `http://${urlHost}:${address.port}/`;
  const urlOf = (entry: (typeof services)[number]): string => {
    const servicePort = (entry.server.address() as AddressInfo).port;
    entry.policy.listening(servicePort);
    return `http://${urlHost}:${servicePort}/`;
  };
  const [transfer, groups, search, flows, timer, compute] = services.map(urlOf) as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const serviceUrls = { auth: baseUrl, transfer, groups, search, flows, timer, compute };
  return { servers, sockets, baseUrl, serviceUrls };
}

/** Listens on each server in turn; when one fails, closes those already listening and throws. */
async function listenAll(entries: readonly { server: Server; port: number }[], host: string): Promise<void> {
  const listening: Server[] = [];
  try {
    for (const { server, port } of entries) {
      await listen(server, port, host);
      listening.push(server);
    }
  } catch (error) {
    await Promise.all(listening.map((open) => new Promise<void>((resolve) => open.close(() => resolve()))));
    throw error;
  }
}

function createListeningServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  sockets: Set<Socket>,
): Server {
  const server = createServer(handler);
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  // A bad client (garbage bytes, oversize headers) must never take the emulator down.
  server.on("clientError", (_error, socket) => {
    if (socket.writable)
      socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    else socket.destroy();
  });
  return server;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
