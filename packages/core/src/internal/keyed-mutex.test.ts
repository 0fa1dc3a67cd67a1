import { describe, expect, it } from "vitest";
import { KeyedMutex } from "./keyed-mutex.ts";

/** A promise the test settles when it chooses: lets a holder keep the mutex until told. */
function gate(): { open: () => void; opened: Promise<void> } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

/** Lets every queued microtask and timer callback run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("KeyedMutex", () => {
  it("runs holders of one key one at a time, in call order, and returns what each returns", async () => {
    const mutex = new KeyedMutex();
    const events: string[] = [];
    let running = 0;
    const holder = (name: string, ms: number) => async () => {
      running++;
      expect(running).toBe(1);
      events.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      events.push(`${name} end`);
      running--;
      return name;
    };
    // The slower holder first: call order, not speed, decides.
    const results = await Promise.all([
      mutex.run("k", holder("a", 20)),
      mutex.run("k", holder("b", 0)),
      mutex.run("k", holder("c", 5)),
    ]);
    expect(results).toEqual(["a", "b", "c"]);
    expect(events).toEqual(["a start", "a end", "b start", "b end", "c start", "c end"]);
  });

  it("never makes different keys wait for each other", async () => {
    const mutex = new KeyedMutex();
    const held = gate();
    const first = mutex.run("a", () => held.opened);
    expect(await mutex.run("b", async () => "free")).toBe("free");
    held.open();
    await first;
  });

  it("starts the next holder after one that throws, rejects, or throws synchronously", async () => {
    const mutex = new KeyedMutex();
    const boom = new Error("boom");
    const rejected = mutex.run("k", async () => {
      throw boom;
    });
    const thrown = mutex.run("k", (() => {
      throw new Error("sync");
    }) as () => Promise<never>);
    const next = mutex.run("k", async () => "next");
    await expect(rejected).rejects.toBe(boom);
    await expect(thrown).rejects.toThrow("sync");
    expect(await next).toBe("next");
  });

  it("rejects a waiter whose signal aborts with the signal's reason and never runs it", async () => {
    const mutex = new KeyedMutex();
    const held = gate();
    const holder = mutex.run("k", () => held.opened.then(() => "holder"));
    const controller = new AbortController();
    let ran = false;
    const waiter = mutex.run(
      "k",
      async () => {
        ran = true;
      },
      { signal: controller.signal },
    );
    const reason = new Error("gave up");
    controller.abort(reason);
    await expect(waiter).rejects.toBe(reason);
    held.open();
    expect(await holder).toBe("holder");
    await settle();
    expect(ran).toBe(false);
  });

  it("keeps the queue whole for the others when a waiter in the middle leaves", async () => {
    const mutex = new KeyedMutex();
    const events: string[] = [];
    const held = gate();
    const first = mutex.run("k", async () => {
      events.push("first start");
      await held.opened;
      events.push("first end");
    });
    const controller = new AbortController();
    const leaving = mutex.run("k", async () => events.push("leaving"), { signal: controller.signal });
    const last = mutex.run("k", async () => events.push("last"));
    controller.abort();
    await expect(leaving).rejects.toMatchObject({ name: "AbortError" });
    // The one behind the leaver still waits for the holder before it.
    await settle();
    expect(events).toEqual(["first start"]);
    held.open();
    await Promise.all([first, last]);
    expect(events).toEqual(["first start", "first end", "last"]);
    // And the key is free again afterwards.
    expect(await mutex.run("k", async () => "again")).toBe("again");
  });

  it("rejects at once, without queueing, when the signal has already aborted", async () => {
    const mutex = new KeyedMutex();
    const held = gate();
    const holder = mutex.run("k", () => held.opened);
    const reason = new Error("already");
    let ran = false;
    const waiter = mutex.run(
      "k",
      async () => {
        ran = true;
      },
      { signal: AbortSignal.abort(reason) },
    );
    await expect(waiter).rejects.toBe(reason);
    held.open();
    await holder;
    expect(ran).toBe(false);
  });

  it("ignores an abort once the holder has started", async () => {
    const mutex = new KeyedMutex();
    const held = gate();
    const controller = new AbortController();
    const started = gate();
    const holder = mutex.run(
      "k",
      async () => {
        started.open();
        await held.opened;
        return "finished";
      },
      { signal: controller.signal },
    );
    await started.opened;
    controller.abort();
    let nextRan = false;
    const next = mutex.run("k", async () => {
      nextRan = true;
      return "next";
    });
    await settle();
    expect(nextRan).toBe(false);
    held.open();
    expect(await holder).toBe("finished");
    expect(await next).toBe("next");
  });
});
