import { isGlobusNetworkError, isGlobusSDKUsageError } from "@globus-app/core";
import { type Emulator, PAUSED_COLLECTION_ID, startEmulator } from "@globus-app/emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ADA, GRACE, rejection, TUTORIAL_1, transferAs } from "../../test-support/transfer-fixture.ts";
import { DeleteData } from "./delete-data.ts";
import { isTransferAPIError } from "./transfer-api-error.ts";
import type { TransferClient } from "./transfer-client.ts";
import { TransferData } from "./transfer-data.ts";

// Fresh collection ids (any UUID gets the sample tree), so tests do not see each other's files.
const SOURCE = "11111111-2222-4333-8444-555555555555";
const DEST = "66666666-7777-4888-8999-aaaaaaaaaaaa";

let emu: Emulator;
let transfer: TransferClient;
beforeAll(async () => {
  emu = await startEmulator();
  transfer = transferAs(emu);
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.control.clearFaults();
  emu.control.resetCounts();
});

/** Moves the emulator clock past any small task's end and lets the client see it. */
const finishTasks = () => emu.control.advanceClock(120);

describe("transfer tasks, end to end", () => {
  it("submits, waits, and reads the task, its events and its successful transfers; the files are copied", async () => {
    const data = new TransferData({ sourceEndpoint: SOURCE, destinationEndpoint: DEST, label: "round trip" })
      .addItem("/~/data/", "/~/copy-of-data/", { recursive: true })
      .addItem("/~/README.txt", "/~/copy-of-README.txt");
    const result = await transfer.submitTransfer(data);
    expect(result).toMatchObject({
      DATA_TYPE: "transfer_result",
      code: "Accepted",
      submission_id: data.submissionId,
      task_id: expect.any(String),
    });
    const active = await transfer.getTask(result.task_id);
    expect(active).toMatchObject({
      DATA_TYPE: "task",
      status: "ACTIVE",
      type: "TRANSFER",
      label: "round trip",
    });
    expect(await transfer.taskWait(result.task_id, { timeoutS: 0.3, pollingIntervalS: 0.1 })).toBe(false);
    finishTasks();
    expect(await transfer.taskWait(result.task_id, { timeoutS: 5, pollingIntervalS: 0.1 })).toBe(true);
    const task = await transfer.getTask(result.task_id);
    expect(task).toMatchObject({
      status: "SUCCEEDED",
      files: 3,
      files_transferred: 3,
      directories: 1,
      bytes_transferred: 100 + 2048 + 1024,
      source_endpoint_id: SOURCE,
      destination_endpoint_id: DEST,
      fatal_error: null,
      is_paused: false,
    });
    expect(task.completion_time).toEqual(expect.any(String));
    const events = await transfer.taskEventList(result.task_id);
    expect(events).toMatchObject({ DATA_TYPE: "event_list", total: 2 });
    expect(events.DATA.map((e) => e.code)).toEqual(["SUCCEEDED", "STARTED"]);
    const files = await transfer.taskSuccessfulTransfers(result.task_id);
    expect(files).toMatchObject({ DATA_TYPE: "successful_transfers", next_marker: null });
    expect(files.DATA.map((f) => [f.source_path, f.destination_path])).toEqual([
      ["/~/data/a.txt", "/~/copy-of-data/a.txt"],
      ["/~/data/b.bin", "/~/copy-of-data/b.bin"],
      ["/~/README.txt", "/~/copy-of-README.txt"],
    ]);
    const copied = await transfer.operationLs(DEST, { path: "/~/copy-of-data/" });
    expect(copied.DATA.map((f) => f.name)).toEqual(["a.txt", "b.bin"]);
    expect((await transfer.operationStat(DEST, "/~/copy-of-README.txt")).size).toBe(1024);
    expect(await transfer.cancelTask(result.task_id)).toMatchObject({ code: "TaskComplete" });
  });

  it("fails a task whose source is missing, or skips it with skipSourceErrors", async () => {
    const failing = await transfer.submitTransfer(
      new TransferData({ sourceEndpoint: SOURCE, destinationEndpoint: DEST }).addItem(
        "/~/nope.txt",
        "/~/x.txt",
      ),
    );
    const skipping = await transfer.submitTransfer(
      new TransferData({ sourceEndpoint: SOURCE, destinationEndpoint: DEST, skipSourceErrors: true })
        .addItem("/~/nope.txt", "/~/y.txt")
        .addItem("/~/data/a.txt", "/~/y-a.txt"),
    );
    finishTasks();
    expect(await transfer.getTask(failing.task_id)).toMatchObject({
      status: "FAILED",
      fatal_error: { code: "FILE_NOT_FOUND", description: expect.stringContaining("/~/nope.txt") },
    });
    expect((await transfer.taskEventList(failing.task_id, { filter: "is_error:1" })).DATA).toEqual([
      expect.objectContaining({ code: "FILE_NOT_FOUND", is_error: true }),
    ]);
    expect(await transfer.getTask(skipping.task_id)).toMatchObject({
      status: "SUCCEEDED",
      subtasks_skipped_errors: 1,
    });
    const skipped = await transfer.taskSkippedErrors(skipping.task_id);
    expect(skipped).toMatchObject({
      DATA_TYPE: "skipped_errors",
      next_marker: null,
      DATA: [{ DATA_TYPE: "skipped_error", source_path: "/~/nope.txt", error_code: "FILE_NOT_FOUND" }],
    });
  });

  it("honours sync levels and filter rules", async () => {
    await transfer.submitTransfer(
      new TransferData({ sourceEndpoint: SOURCE, destinationEndpoint: DEST })
        .addItem("/~/data/", "/~/synced/", { recursive: true })
        .addFilterRule("*.bin"),
    );
    finishTasks();
    await transfer.taskList();
    expect((await transfer.operationLs(DEST, { path: "/~/synced/" })).DATA.map((f) => f.name)).toEqual([
      "a.txt",
    ]);
    const again = await transfer.submitTransfer(
      new TransferData({ sourceEndpoint: SOURCE, destinationEndpoint: DEST, syncLevel: "size" }).addItem(
        "/~/data/",
        "/~/synced/",
        { recursive: true },
      ),
    );
    finishTasks();
    expect(await transfer.getTask(again.task_id)).toMatchObject({
      files: 2,
      files_skipped: 1,
      files_transferred: 1,
    });
  });

  it("deletes, cancels, updates and explains a paused task", async () => {
    const deletion = await transfer.submitDelete(
      new DeleteData({ endpoint: DEST, recursive: true }).addItem("/~/many/"),
    );
    expect(deletion).toMatchObject({ DATA_TYPE: "delete_result", code: "Accepted" });
    const waiting = await transfer.submitTransfer(
      new TransferData({ sourceEndpoint: SOURCE, destinationEndpoint: DEST, label: "to cancel" }).addItem(
        "/~/README.txt",
        "/~/cancelled.txt",
      ),
    );
    expect(await transfer.updateTask(waiting.task_id, { label: "renamed" })).toMatchObject({
      code: "Updated",
    });
    expect((await transfer.getTask(waiting.task_id)).label).toBe("renamed");
    expect(await transfer.cancelTask(waiting.task_id)).toMatchObject({ code: "Canceled" });
    const paused = await transfer.submitTransfer(
      new TransferData({ sourceEndpoint: SOURCE, destinationEndpoint: PAUSED_COLLECTION_ID }).addItem(
        "/~/README.txt",
        "/~/README.txt",
      ),
    );
    finishTasks();
    expect(await transfer.getTask(deletion.task_id)).toMatchObject({ status: "SUCCEEDED", type: "DELETE" });
    expect(await rejection(transfer.operationLs(DEST, { path: "/~/many/" })).then(String)).toContain(
      "NotFound",
    );
    expect(await transfer.getTask(waiting.task_id)).toMatchObject({
      status: "FAILED",
      fatal_error: { code: "CANCELED" },
    });
    expect(await rejection(transfer.updateTask(waiting.task_id, { label: "late" })).then(String)).toContain(
      "BadRequest",
    );
    expect(await transfer.getTask(paused.task_id)).toMatchObject({ status: "ACTIVE", is_paused: true });
    const info = await transfer.taskPauseInfo(paused.task_id);
    expect(info).toMatchObject({
      DATA_TYPE: "pause_info_limited",
      destination_pause_message: expect.any(String),
      pause_rules: [{ endpoint_id: PAUSED_COLLECTION_ID }],
    });
    expect((await transfer.getTask(paused.task_id)).status).toBe("ACTIVE");
  });

  it("lists tasks with filters, and hides other people's tasks", async () => {
    const label = `filter-${Date.now()}`;
    const submitted = await transfer.submitTransfer(
      new TransferData({ sourceEndpoint: SOURCE, destinationEndpoint: DEST, label }).addItem(
        "/~/README.txt",
        "/~/l.txt",
      ),
    );
    const mine = await transfer.taskList({
      filter: { label, type: "TRANSFER", status: ["ACTIVE", "INACTIVE"] },
    });
    expect(mine).toMatchObject({ DATA_TYPE: "task_list", total: 1, offset: 0, limit: 10 });
    expect(mine.DATA[0]?.task_id).toBe(submitted.task_id);
    expect((await transfer.taskList({ filter: `label:~${label.slice(0, 8)}*/type:DELETE` })).total).toBe(0);
    const grace = transferAs(emu, GRACE.id);
    expect((await grace.taskList()).total).toBe(0);
    const hidden = await rejection(grace.getTask(submitted.task_id));
    expect(isTransferAPIError(hidden) && hidden.errorCode).toBe("ClientError.NotFound");
  });

  it("checks documents: submission ids, DATA_TYPE, items, and permissions", async () => {
    const bad = async (data: Record<string, unknown>) => {
      const error = await rejection(transfer.submitTransfer(data));
      return isTransferAPIError(error) ? `${error.status} ${error.errorCode}` : String(error);
    };
    expect(
      await bad({
        DATA_TYPE: "transfer",
        submission_id: "made-up",
        source_endpoint: SOURCE,
        destination_endpoint: DEST,
        DATA: [],
      }),
    ).toBe("400 ClientError.BadRequest");
    const { value } = await transfer.getSubmissionId();
    expect(
      await bad({
        DATA_TYPE: "transfer",
        submission_id: value,
        source_endpoint: SOURCE,
        destination_endpoint: DEST,
        DATA: [],
      }),
    ).toBe("400 ClientError.BadRequest");
    expect(
      await bad({
        DATA_TYPE: "transfer",
        submission_id: value,
        source_endpoint: SOURCE,
        destination_endpoint: "2ddeacb8-1052-43eb-9863-d437ef0fa9c0",
        DATA: [{ DATA_TYPE: "transfer_item", source_path: "/~/README.txt", destination_path: "/~/x" }],
      }),
    ).toBe("403 PermissionDenied");
    // A plain document works too, and gets its submission id.
    const plain: Record<string, unknown> = {
      DATA_TYPE: "transfer",
      source_endpoint: SOURCE,
      destination_endpoint: TUTORIAL_1,
      DATA: [
        { DATA_TYPE: "transfer_item", source_path: "/~/README.txt", destination_path: "/~/from-plain.txt" },
      ],
    };
    expect((await transfer.submitTransfer(plain)).submission_id).toBe(plain.submission_id);
  });
});

describe("a retried submit", () => {
  it("after a dropped connection makes exactly one task", async () => {
    const retrying = transferAs(emu, ADA.id, { retryLimit: 2 });
    const label = `retried-${Date.now()}`;
    const data = new TransferData({ sourceEndpoint: SOURCE, destinationEndpoint: DEST, label }).addItem(
      "/~/README.txt",
      "/~/retried.txt",
    );
    data.submissionId = (await retrying.getSubmissionId()).value;
    // The task is created, then the answer is lost: the client retries the POST on its own.
    emu.control.injectFault({ endpoint: "transfer", kind: "drop-response" });
    emu.control.resetCounts();
    const result = await retrying.submitTransfer(data);
    expect(result.code).toBe("Duplicate");
    const posts = emu.control.requestLog().filter((entry) => entry.path.endsWith("/transfer"));
    expect(posts.map((entry) => entry.fault ?? "answered")).toEqual(["drop-response", "answered"]);
    const tasks = await retrying.taskList({ filter: { label } });
    expect(tasks.total).toBe(1);
    expect(tasks.DATA[0]?.task_id).toBe(result.task_id);
    // And submitting the same object again by hand changes nothing either.
    expect(await retrying.submitTransfer(data)).toMatchObject({ code: "Duplicate", task_id: result.task_id });
    expect((await retrying.taskList({ filter: { label } })).total).toBe(1);
  });

  it("fetches the submission id once, when the first attempt's connection drops", async () => {
    const retrying = transferAs(emu, ADA.id, { retryLimit: 2 });
    const data = new TransferData({ sourceEndpoint: SOURCE, destinationEndpoint: DEST }).addItem(
      "/~/README.txt",
      "/~/r2.txt",
    );
    emu.control.injectFault({ endpoint: "transfer", kind: "drop-connection" });
    emu.control.resetCounts();
    const result = await retrying.submitTransfer(data);
    expect(result).toMatchObject({ code: "Accepted", submission_id: data.submissionId });
    expect(emu.control.requestLog().map((entry) => entry.path.split("/").pop())).toEqual([
      "submission_id",
      "submission_id",
      "transfer",
    ]);
  });
});

describe("pagination", () => {
  let bigTask: string;
  beforeAll(async () => {
    const result = await transfer.submitTransfer(
      new TransferData({ sourceEndpoint: SOURCE, destinationEndpoint: DEST }).addItem(
        "/~/many/",
        "/~/many-copy/",
        {
          recursive: true,
        },
      ),
    );
    bigTask = result.task_id;
    finishTasks();
    expect(await transfer.taskWait(bigTask, { timeoutS: 5, pollingIntervalS: 0.1 })).toBe(true);
  });

  it("follows next_marker across pages, and over items", async () => {
    const pages = [];
    for await (const page of transfer.paginated.taskSuccessfulTransfers(bigTask)) {
      pages.push({ marker: page.marker, next: page.next_marker, count: page.DATA.length });
    }
    expect(pages).toEqual([
      { marker: 0, next: 100, count: 100 },
      { marker: 100, next: 200, count: 100 },
      { marker: 200, next: null, count: 50 },
    ]);
    const items = await transfer.paginated.taskSuccessfulTransfers(bigTask).toArray();
    expect(items).toHaveLength(250);
    expect(items[249]).toMatchObject({
      source_path: "/~/many/file-249.dat",
      destination_path: "/~/many-copy/file-249.dat",
    });
  });

  it("pages task_list by offset and limit, and stops at maxItems", async () => {
    const total = (await transfer.taskList()).total;
    expect(total).toBeGreaterThan(5);
    emu.control.resetCounts();
    const pages = [];
    for await (const page of transfer.paginated.taskList({ limit: 2 })) pages.push(page);
    expect(pages).toHaveLength(Math.ceil(total / 2));
    expect(pages.map((page) => page.offset)).toEqual(pages.map((_, i) => i * 2));
    const ids = pages.flatMap((page) => page.DATA.map((task) => task.task_id));
    expect(new Set(ids).size).toBe(total);
    emu.control.resetCounts();
    const three = [];
    for await (const task of transfer.paginated.taskList({ limit: 2 }, { maxItems: 3 }).items())
      three.push(task);
    expect(three.map((task) => task.task_id)).toEqual(ids.slice(0, 3));
    // The second page asks for just the one item still wanted.
    expect(emu.control.requestLog().map((entry) => entry.params.limit)).toEqual(["2", "1"]);
  });

  it("stops requesting when the loop breaks, and when the signal aborts", async () => {
    emu.control.resetCounts();
    for await (const page of transfer.paginated.taskSuccessfulTransfers(bigTask)) {
      expect(page.DATA).toHaveLength(100);
      break;
    }
    expect(emu.control.requestCounts().transfer).toBe(1);
    const controller = new AbortController();
    emu.control.resetCounts();
    let seen = 0;
    const error = await rejection(
      (async () => {
        for await (const _ of transfer.paginated
          .taskSuccessfulTransfers(bigTask, {}, { signal: controller.signal })
          .items()) {
          if (++seen === 150) controller.abort(new Error("enough"));
        }
      })(),
    );
    expect(isGlobusNetworkError(error) && error.code).toBe("NETWORK_ABORTED");
    expect(seen).toBe(200);
    expect(emu.control.requestCounts().transfer).toBe(2);
    // A signal aborted during a page request cancels that request.
    const during = new AbortController();
    emu.control.injectFault({ endpoint: "transfer", kind: "latency", latencyMs: 2000 });
    setTimeout(() => during.abort(), 50);
    const cancelled = await rejection(transfer.paginated.taskList({}, { signal: during.signal }).toArray());
    expect(isGlobusNetworkError(cancelled) && cancelled.code).toBe("NETWORK_ABORTED");
  });

  it("pages event lists and endpoint search by offset", async () => {
    const events = await transfer.paginated.taskEventList(bigTask, { limit: 1 }).toArray();
    expect(events.map((event) => event.code)).toEqual(["SUCCEEDED", "STARTED"]);
    const found = await transfer.paginated.endpointSearch({ limit: 4 }).toArray();
    expect(found.length).toBeGreaterThanOrEqual(6);
    expect(new Set(found.map((endpoint) => endpoint.id)).size).toBe(found.length);
  });
});

describe("taskWait", () => {
  it("validates its options and stops on abort", async () => {
    expect(isGlobusSDKUsageError(await rejection(transfer.taskWait("x", { timeoutS: 0 })))).toBe(true);
    expect(isGlobusSDKUsageError(await rejection(transfer.taskWait("x", { pollingIntervalS: -1 })))).toBe(
      true,
    );
    const { task_id } = await transfer.submitTransfer(
      new TransferData({ sourceEndpoint: SOURCE, destinationEndpoint: PAUSED_COLLECTION_ID }).addItem(
        "/~/README.txt",
        "/~/w.txt",
      ),
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await rejection(
      transfer.taskWait(task_id, { timeoutS: 30, pollingIntervalS: 1, signal: controller.signal }),
    );
    expect(isGlobusNetworkError(error) && error.code).toBe("NETWORK_ABORTED");
  });
});
