import { AccessTokenAuthorizer, isGlobusAPIError } from "@globus-app/core";
import {
  type Emulator,
  MAPPED_COLLECTION_ID,
  MFA_COLLECTION_ID,
  PAUSED_COLLECTION_ID,
  startEmulator,
} from "@globus-app/emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  ADA,
  ALAN,
  GRACE,
  rejection,
  TUTORIAL_1,
  TUTORIAL_2,
  transferAs,
  transferToken,
} from "../../test-support/transfer-fixture.ts";
import { isTransferAPIError, type TransferAPIError } from "./transfer-api-error.ts";
import { TransferClient } from "./transfer-client.ts";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.control.clearFaults();
  emu.control.resetCounts();
});

/** The TransferAPIError a call fails with. */
async function apiError(promise: Promise<unknown>): Promise<TransferAPIError> {
  const error = await rejection(promise);
  expect(isTransferAPIError(error), String(error)).toBe(true);
  return error as TransferAPIError;
}

describe("TransferClient: collections and endpoints", () => {
  it("gets a collection, and a typed 404 with Transfer's code and request id for others", async () => {
    const transfer = transferAs(emu);
    const endpoint = await transfer.getEndpoint(TUTORIAL_1);
    expect(endpoint).toMatchObject({
      DATA_TYPE: "endpoint",
      id: TUTORIAL_1,
      entity_type: "GCSv5_guest_collection",
      host_endpoint_id: MAPPED_COLLECTION_ID,
      owner_id: ADA.id,
    });
    // The raw JSON is the document itself: fields the types do not name are there.
    expect(endpoint.gcs_manager_url).toEqual(expect.any(String));
    const error = await apiError(transfer.getEndpoint("00000000-0000-4000-8000-000000000000"));
    expect(error).toMatchObject({
      status: 404,
      errorCode: "EndpointNotFound",
      transferCode: "EndpointNotFound",
    });
    expect(error.requestId).toMatch(/^\w+$/);
    expect(isGlobusAPIError(error)).toBe(true);
    expect(error.name).toBe("TransferAPIError");
    expect(error.message).toContain("GET");
  });

  it("searches with every filter", async () => {
    const transfer = transferAs(emu);
    const ids = async (params: Parameters<TransferClient["endpointSearch"]>[1], text?: string) =>
      (await transfer.endpointSearch(text, params)).DATA.map((e) => e.id);
    expect(await ids({}, "tutorial")).toEqual([TUTORIAL_1, TUTORIAL_2]);
    expect(await ids({ filterEntityType: "GCSv5_guest_collection" })).toEqual([TUTORIAL_1, TUTORIAL_2]);
    expect(await ids({ filterScope: "my-endpoints" })).toEqual([TUTORIAL_1]);
    expect(await ids({ filterScope: "shared-with-me" })).toEqual([TUTORIAL_2]);
    expect(await ids({ filterOwnerId: GRACE.id })).toEqual([TUTORIAL_2]);
    expect(await ids({ filterHostEndpoint: MAPPED_COLLECTION_ID })).toEqual([TUTORIAL_1, TUTORIAL_2]);
    expect(await ids({ filterNonFunctional: true })).toEqual([]);
    const page = await transfer.endpointSearch(undefined, { limit: 2, offset: 2 });
    expect(page).toMatchObject({ DATA_TYPE: "endpoint_list", limit: 2, offset: 2, has_next_page: true });
    const refused = await apiError(transfer.endpointSearch("x", { limit: 101 }));
    expect(refused).toMatchObject({ status: 400, errorCode: "ClientError.BadRequest" });
    const log = emu.control.requestLog().filter((entry) => entry.endpoint === "transfer");
    expect(log[1]?.params).toMatchObject({ filter_entity_type: "GCSv5_guest_collection" });
    expect(log[6]?.params).toMatchObject({ filter_non_functional: "1" });
  });

  it("lets administrators update an endpoint, and refuses others", async () => {
    await transferAs(emu, ADA.id).updateEndpoint(TUTORIAL_1, { description: "Changed by a test" });
    expect((await transferAs(emu, GRACE.id).getEndpoint(TUTORIAL_1)).description).toBe("Changed by a test");
    const refused = await apiError(
      transferAs(emu, GRACE.id).updateEndpoint(TUTORIAL_1, { description: "no" }),
    );
    expect(refused).toMatchObject({ status: 403, errorCode: "PermissionDenied" });
    const bad = await apiError(transferAs(emu).updateEndpoint(TUTORIAL_1, { owner_id: GRACE.id }));
    expect(bad.errorCode).toBe("ClientError.BadRequest");
  });

  it("lists pause rules, shared endpoints and servers", async () => {
    const transfer = transferAs(emu);
    const paused = await transfer.myEffectivePauseRuleList(PAUSED_COLLECTION_ID);
    expect(paused.DATA).toEqual([
      expect.objectContaining({ endpoint_id: PAUSED_COLLECTION_ID, pause_task_transfer_write: true }),
    ]);
    expect((await transfer.myEffectivePauseRuleList(TUTORIAL_1)).DATA).toEqual([]);
    expect((await transfer.mySharedEndpointList(MAPPED_COLLECTION_ID)).DATA.map((e) => e.id)).toEqual([
      TUTORIAL_1,
    ]);
    const servers = await transfer.endpointServerList(MFA_COLLECTION_ID);
    expect(servers).toMatchObject({
      DATA_TYPE: "endpoint_server_list",
      DATA: [{ DATA_TYPE: "server", port: 443 }],
    });
    const refused = await apiError(transfer.getSharedEndpointList(MAPPED_COLLECTION_ID));
    expect(refused.errorCode).toBe("PermissionDenied");
    const admin = transferAs(emu, ALAN.id);
    const first = await admin.getSharedEndpointList(MAPPED_COLLECTION_ID, { maxResults: 1 });
    expect(first).toMatchObject({ DATA_TYPE: "shared_endpoint_list", next_token: "1" });
    const pages = [];
    for await (const page of admin.paginated.getSharedEndpointList(MAPPED_COLLECTION_ID, { maxResults: 1 })) {
      pages.push(page.shared_endpoints.map((e) => e.id));
    }
    expect(pages).toEqual([[TUTORIAL_1], [TUTORIAL_2]]);
  });
});

describe("TransferClient: roles and access rules", () => {
  it("grants, reads and revokes roles", async () => {
    const transfer = transferAs(emu);
    const { DATA: roles } = await transfer.endpointRoleList(TUTORIAL_1);
    expect(roles).toEqual([expect.objectContaining({ principal: ADA.id, role: "administrator" })]);
    const role = await transfer.addEndpointRole(TUTORIAL_1, {
      principal_type: "identity",
      principal: GRACE.id,
      role: "access_manager",
    });
    expect(role).toMatchObject({ DATA_TYPE: "role", role: "access_manager", principal: GRACE.id });
    expect(await transfer.getEndpointRole(TUTORIAL_1, role.id)).toEqual(role);
    const twice = await apiError(
      transfer.addEndpointRole(TUTORIAL_1, {
        principal_type: "identity",
        principal: GRACE.id,
        role: "access_manager",
      }),
    );
    expect(twice).toMatchObject({ status: 409, errorCode: "Exists" });
    // An access manager sees the rules but may not grant roles.
    expect((await transferAs(emu, GRACE.id).endpointAclList(TUTORIAL_1)).DATA_TYPE).toBe("access_list");
    const notAdmin = await apiError(
      transferAs(emu, GRACE.id).addEndpointRole(TUTORIAL_1, {
        principal_type: "identity",
        principal: ALAN.id,
        role: "administrator",
      }),
    );
    expect(notAdmin.errorCode).toBe("PermissionDenied");
    expect(await transfer.deleteEndpointRole(TUTORIAL_1, role.id)).toMatchObject({ code: "Deleted" });
    expect((await apiError(transfer.getEndpointRole(TUTORIAL_1, role.id))).errorCode).toBe(
      "ClientError.NotFound",
    );
    expect((await apiError(transferAs(emu, GRACE.id).endpointAclList(TUTORIAL_1))).status).toBe(403);
  });

  it("adds, changes and deletes access rules, which decide what others may do", async () => {
    const owner = transferAs(emu, GRACE.id);
    const ada = transferAs(emu, ADA.id);
    const { DATA: initial } = await owner.endpointAclList(TUTORIAL_2);
    expect(initial).toEqual([
      expect.objectContaining({ principal_type: "all_authenticated_users", path: "/", permissions: "r" }),
    ]);
    // Read-only for Ada: listing works, writing does not.
    await ada.operationLs(TUTORIAL_2, { path: "/shared/" });
    expect((await apiError(ada.operationMkdir(TUTORIAL_2, "/shared/ada/"))).errorCode).toBe(
      "PermissionDenied",
    );
    const created = await owner.addEndpointAclRule(TUTORIAL_2, {
      principal_type: "identity",
      principal: ADA.id,
      path: "/shared/",
      permissions: "rw",
    });
    expect(created).toMatchObject({ DATA_TYPE: "access_create_result", code: "Created" });
    const rule = await owner.getEndpointAclRule(TUTORIAL_2, created.access_id);
    expect(rule).toMatchObject({
      DATA_TYPE: "access",
      principal: ADA.id,
      path: "/shared/",
      permissions: "rw",
    });
    await ada.operationMkdir(TUTORIAL_2, "/shared/ada/");
    const duplicate = await apiError(
      owner.addEndpointAclRule(TUTORIAL_2, {
        principal_type: "identity",
        principal: ADA.id,
        path: "/shared/",
        permissions: "r",
      }),
    );
    expect(duplicate).toMatchObject({ status: 409, errorCode: "Exists" });
    const invalid = await apiError(
      owner.addEndpointAclRule(TUTORIAL_2, {
        principal_type: "identity",
        principal: ADA.id,
        path: "/x/",
        permissions: "w",
      }),
    );
    expect(invalid.errorCode).toBe("ClientError.BadRequest");
    expect(
      await owner.updateEndpointAclRule(TUTORIAL_2, created.access_id, { permissions: "r" }),
    ).toMatchObject({
      code: "Updated",
    });
    expect((await apiError(ada.operationMkdir(TUTORIAL_2, "/shared/ada2/"))).errorCode).toBe(
      "PermissionDenied",
    );
    expect(await owner.deleteEndpointAclRule(TUTORIAL_2, created.access_id)).toMatchObject({
      code: "Deleted",
    });
    expect((await apiError(owner.getEndpointAclRule(TUTORIAL_2, created.access_id))).status).toBe(404);
    expect((await apiError(ada.endpointAclList(TUTORIAL_2))).errorCode).toBe("PermissionDenied");
  });
});

describe("TransferClient: bookmarks", () => {
  it("creates, lists, renames and deletes the caller's own bookmarks", async () => {
    const transfer = transferAs(emu);
    const bookmark = await transfer.createBookmark({
      name: "Results",
      endpoint_id: TUTORIAL_1,
      path: "/~/data/",
    });
    expect(bookmark).toMatchObject({
      DATA_TYPE: "bookmark",
      name: "Results",
      endpoint_id: TUTORIAL_1,
      path: "/~/data/",
    });
    expect((await transfer.bookmarkList()).DATA.map((b) => b.id)).toContain(bookmark.id);
    expect((await transferAs(emu, GRACE.id).bookmarkList()).DATA).toEqual([]);
    expect((await apiError(transferAs(emu, GRACE.id).getBookmark(bookmark.id))).status).toBe(404);
    const duplicate = await apiError(
      transfer.createBookmark({ name: "Results", endpoint_id: TUTORIAL_1, path: "/" }),
    );
    expect(duplicate.errorCode).toBe("Exists");
    expect(await transfer.updateBookmark(bookmark.id, { name: "Old results" })).toMatchObject({
      name: "Old results",
    });
    expect((await transfer.getBookmark(bookmark.id)).name).toBe("Old results");
    expect((await apiError(transfer.updateBookmark(bookmark.id, { path: "/elsewhere/" }))).status).toBe(400);
    expect(await transfer.deleteBookmark(bookmark.id)).toMatchObject({ code: "Deleted" });
    expect((await apiError(transfer.getBookmark(bookmark.id))).errorCode).toBe("ClientError.NotFound");
  });
});

describe("TransferClient: file operations", () => {
  const COLLECTION = "0f5f6ad4-1c56-4b48-9d52-3a7a4e0e51a1"; // any UUID gets a sample tree

  it("lists with show_hidden, filters, order, limit and offset", async () => {
    const transfer = transferAs(emu);
    const names = async (params: Parameters<TransferClient["operationLs"]>[1]) =>
      (await transfer.operationLs(COLLECTION, params)).DATA.map((f) => f.name);
    const listing = await transfer.operationLs(COLLECTION);
    expect(listing).toMatchObject({
      DATA_TYPE: "file_list",
      path: "/~/",
      absolute_path: "/home/emulator/",
      total: 6,
    });
    expect(listing.DATA.find((f) => f.name === "README.txt")).toMatchObject({
      DATA_TYPE: "file",
      type: "file",
      size: 1024,
      last_modified: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00$/),
    });
    expect(await names({ showHidden: false })).not.toContain(".hidden");
    expect(await names({ filter: { type: "dir" } })).toEqual(["data", "many"]);
    expect(await names({ filter: [{ type: "file" }, "name:~*.csv"] })).toEqual(["results.csv"]);
    expect(await names({ filter: { size: ">2000" }, orderby: ["size DESC", "name DESC"] })).toEqual([
      "results.csv",
      "many",
      "data",
    ]);
    expect(await names({ path: "/~/many/", limit: 2, offset: 10 })).toEqual(["file-010.dat", "file-011.dat"]);
    expect((await apiError(transfer.operationLs(COLLECTION, { path: "/nope/" }))).errorCode).toBe(
      "ClientError.NotFound",
    );
    expect((await apiError(transfer.operationLs(COLLECTION, { filter: "color:red" }))).status).toBe(400);
    const log = emu.control.requestLog().filter((entry) => entry.endpoint === "transfer");
    expect(log[1]?.params).toMatchObject({ show_hidden: "0" });
    expect(log[3]?.params).toMatchObject({ filter: "type:file/name:~*.csv" });
  });

  it("makes directories, renames and stats, changing the tree", async () => {
    const transfer = transferAs(emu);
    expect(await transfer.operationMkdir(COLLECTION, "/~/new/")).toMatchObject({ code: "DirectoryCreated" });
    const exists = await apiError(transfer.operationMkdir(COLLECTION, "/~/new/"));
    expect(exists).toMatchObject({ status: 502, errorCode: "ExternalError.MkdirFailed.Exists" });
    expect(await transfer.operationRename(COLLECTION, "/~/README.txt", "/~/new/README.md")).toMatchObject({
      code: "FileRenamed",
    });
    expect(await transfer.operationStat(COLLECTION, "/~/new/README.md")).toMatchObject({
      DATA_TYPE: "file",
      name: "README.md",
      type: "file",
      size: 1024,
    });
    expect((await transfer.operationStat(COLLECTION, "/~/new")).type).toBe("dir");
    expect((await apiError(transfer.operationStat(COLLECTION, "/~/README.txt"))).errorCode).toBe(
      "ClientError.NotFound",
    );
    const missing = await apiError(transfer.operationRename(COLLECTION, "/~/README.txt", "/~/x"));
    expect(missing.status).toBe(404);
    expect((await apiError(transfer.operationMkdir(COLLECTION, "/~/no/such/parent/"))).status).toBe(404);
  });

  it("does not retry Transfer's ExternalError answers, as the Python SDK does not", async () => {
    const transfer = transferAs(emu, ADA.id, { retryLimit: 3 });
    await transfer.operationMkdir(COLLECTION, "/~/once/");
    emu.control.resetCounts();
    await apiError(transfer.operationMkdir(COLLECTION, "/~/once/"));
    expect(emu.control.requestCounts().transfer).toBe(1);
    // A plain 5xx is retried.
    emu.control.injectFault({ endpoint: "transfer", kind: "server-error", status: 503, count: 2 });
    emu.control.resetCounts();
    expect((await transfer.operationStat(COLLECTION, "/~/once")).type).toBe("dir");
    expect(emu.control.requestCounts().transfer).toBe(3);
  });

  it("answers at the root of the Transfer port and under <url>transfer/ alike", async () => {
    const other = new TransferClient({
      baseUrl: `${emu.url}transfer/`,
      authorizer: new AccessTokenAuthorizer(transferToken(emu)),
      retryLimit: 0,
    });
    expect((await other.getEndpoint(TUTORIAL_2)).id).toBe(TUTORIAL_2);
    const control = await fetch(new URL("_emulator/requirements", emu.serviceUrls.transfer));
    expect(control.status).toBe(404);
  });
});
