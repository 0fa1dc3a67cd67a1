import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "./start-emulator.ts";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(() => emu.close());

describe("stall-body fault", () => {
  it("sends 200 JSON headers and a partial body, then nothing until aborted", async () => {
    emu.control.injectFault({ endpoint: "jwks", kind: "stall-body" });
    const controller = new AbortController();
    const response = await fetch(new URL("jwk.json", emu.url), { signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('{"access_token": "');
    const next = reader.read();
    const outcome = await Promise.race([
      next.then(() => "more"),
      new Promise((resolve) => setTimeout(resolve, 200, "stalled")),
    ]);
    expect(outcome).toBe("stalled");
    controller.abort();
    await expect(next).rejects.toThrow();
    expect((await fetch(new URL("jwk.json", emu.url))).status).toBe(200);
  });

  it("lets close() finish while a body is stalled", async () => {
    const other = await startEmulator({ port: 0 });
    other.control.injectFault({ endpoint: "jwks", kind: "stall-body" });
    const response = await fetch(new URL("jwk.json", other.url));
    expect(response.status).toBe(200);
    await other.close();
    await expect(response.text()).rejects.toThrow();
  });
});
