import { afterEach, describe, expect, it, vi } from "vitest";
import { CrossTabChannel, type CrossTabMessage } from "./cross-tab-channel.ts";

const channels: CrossTabChannel[] = [];
function channel(name: string, senderId?: string): CrossTabChannel {
  const created = new CrossTabChannel(name, senderId === undefined ? {} : { senderId });
  channels.push(created);
  return created;
}

afterEach(() => {
  for (const c of channels.splice(0)) c.close();
});

/** Resolves with the next `count` messages `target` receives. */
function receive(target: CrossTabChannel, count = 1): Promise<CrossTabMessage[]> {
  const got: CrossTabMessage[] = [];
  return new Promise((resolve) => {
    const unsubscribe = target.subscribe((message) => {
      got.push(message);
      if (got.length === count) {
        unsubscribe();
        resolve(got);
      }
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("CrossTabChannel", () => {
  it("delivers events to other channels of the same name, stamped with the sender", async () => {
    const name = `test-${crypto.randomUUID()}`;
    const tab1 = channel(name);
    const tab2 = channel(name);
    const received = receive(tab2, 2);
    expect(tab1.post({ type: "login", identityId: "id-1", resourceServers: ["auth.globus.org"] })).toBe(true);
    expect(tab1.post({ type: "logout", identityId: null })).toBe(true);
    expect(await received).toEqual([
      { type: "login", identityId: "id-1", resourceServers: ["auth.globus.org"], senderId: tab1.senderId },
      { type: "logout", identityId: null, senderId: tab1.senderId },
    ]);
  });

  it("never sends fields other than type, resourceServers and identityId", async () => {
    const name = `test-${crypto.randomUUID()}`;
    const raw = new BroadcastChannel(name);
    const got = new Promise<unknown>((resolve) => {
      raw.onmessage = (event) => resolve(event.data);
    });
    const event = { type: "tokensChanged", resourceServers: ["a"], access_token: "secret" } as never;
    channel(name).post(event);
    expect(Object.keys((await got) as object).sort()).toEqual(["resourceServers", "senderId", "type"]);
    raw.close();
  });

  it("ignores malformed messages and keeps listening", async () => {
    const name = `test-${crypto.randomUUID()}`;
    const listener = vi.fn();
    const tab = channel(name);
    tab.subscribe(listener);
    const raw = new BroadcastChannel(name);
    for (const bad of [
      null,
      "logout",
      42,
      {},
      { type: "logout" },
      { type: "explode", senderId: "x" },
      { type: "logout", senderId: "" },
      { type: "logout", senderId: 7 },
      { type: "tokensChanged", senderId: "x", resourceServers: "a" },
      { type: "tokensChanged", senderId: "x", resourceServers: [1] },
      { type: "tokensChanged", senderId: "x", resourceServers: Array.from({ length: 1001 }, () => "a") },
      { type: "login", senderId: "x", identityId: 5 },
      { type: "login", senderId: "x".repeat(600) },
    ]) {
      raw.postMessage(bad);
    }
    raw.postMessage({ type: "identityChanged", senderId: "other-tab", identityId: "id-2", extra: "dropped" });
    const good = receive(tab);
    expect(await good).toEqual([{ type: "identityChanged", senderId: "other-tab", identityId: "id-2" }]);
    expect(listener).toHaveBeenCalledTimes(1);
    raw.close();
  });

  it("ignores messages stamped with its own sender id", async () => {
    const name = `test-${crypto.randomUUID()}`;
    const a = channel(name, "tab-1");
    const sameTab = channel(name, "tab-1");
    const otherTab = channel(name, "tab-2");
    const listener = vi.fn();
    sameTab.subscribe(listener);
    const atOther = receive(otherTab);
    a.post({ type: "logout" });
    expect(await atOther).toEqual([{ type: "logout", senderId: "tab-1" }]);
    await sleep(20);
    expect(listener).not.toHaveBeenCalled();
  });

  it("unsubscribes, isolates a throwing listener, and stops after close", async () => {
    const name = `test-${crypto.randomUUID()}`;
    const sender = channel(name);
    const tab = channel(name);
    const reported = vi.fn();
    const original = globalThis.reportError;
    globalThis.reportError = reported;
    try {
      const removed = vi.fn();
      tab.subscribe(() => {
        throw new Error("listener bug");
      });
      tab.subscribe(removed)();
      const got = receive(tab);
      sender.post({ type: "logout" });
      expect(await got).toHaveLength(1);
      expect(removed).not.toHaveBeenCalled();
      expect(reported).toHaveBeenCalledWith(new Error("listener bug"));
    } finally {
      globalThis.reportError = original;
    }
    const afterClose = vi.fn();
    tab.subscribe(afterClose);
    tab.close();
    tab.close();
    expect(tab.post({ type: "logout" })).toBe(false);
    expect(tab.subscribe(afterClose)).toBeTypeOf("function");
    sender.post({ type: "logout" });
    await sleep(20);
    expect(afterClose).not.toHaveBeenCalled();
  });

  it("opens lazily and is a no-op without BroadcastChannel", async () => {
    const original = globalThis.BroadcastChannel;
    let opened = 0;
    globalThis.BroadcastChannel = class extends original {
      constructor(name: string) {
        super(name);
        opened++;
      }
    };
    try {
      const lazy = channel(`test-${crypto.randomUUID()}`);
      expect(opened).toBe(0);
      lazy.subscribe(() => {});
      lazy.post({ type: "logout" });
      expect(opened).toBe(1);
    } finally {
      globalThis.BroadcastChannel = original;
    }

    Reflect.deleteProperty(globalThis, "BroadcastChannel");
    try {
      expect(CrossTabChannel.isSupported()).toBe(false);
      const inert = channel("anything");
      expect(inert.post({ type: "logout" })).toBe(false);
      const unsubscribe = inert.subscribe(() => {});
      unsubscribe();
    } finally {
      globalThis.BroadcastChannel = original;
    }
  });

  it("names an app's channel by client id, environment and namespace", () => {
    expect(CrossTabChannel.forGlobusApp({ clientId: "c", namespace: "DEFAULT" }).name).toBe(
      "globus-app:c:production:DEFAULT",
    );
    expect(
      CrossTabChannel.forGlobusApp({ clientId: "c", namespace: "a:b", config: { environment: "sandbox" } })
        .name,
    ).toBe("globus-app:c:sandbox:a%3Ab");
  });
});
