/**
 * Whether `url` is plain http to this machine (`127.0.0.1`, `localhost`, `[::1]`): the one place
 * http is allowed (an emulator or a test stack); everything else must be https.
 */
export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}
