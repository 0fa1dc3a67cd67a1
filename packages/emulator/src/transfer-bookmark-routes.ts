import { randomUUID } from "node:crypto";
import type { RequestContext } from "./request-context.ts";
import { servicePath } from "./service-request.ts";
import { isUuid } from "./stable-uuid.ts";
import type { AccessTokenRecord } from "./token-store.ts";
import { badRequest, fault, notFound, transferResult } from "./transfer-answers.ts";
import { splitPath } from "./transfer-file-tree.ts";
import { dataType, jsonBody } from "./transfer-request.ts";
import type { TransferHandler, TransferRoute } from "./transfer-route.ts";
import type { TransferStore } from "./transfer-store.ts";

const bookmarkDocument = (bookmark: {
  id: string;
  name: string;
  endpointId: string;
  path: string;
  pinned: boolean;
}): Record<string, unknown> => ({
  DATA_TYPE: "bookmark",
  id: bookmark.id,
  name: bookmark.name,
  endpoint_id: bookmark.endpointId,
  path: bookmark.path,
  pinned: bookmark.pinned,
});

function checkBookmarkName(store: TransferStore, owner: string, name: unknown, except?: string): string {
  if (typeof name !== "string" || name.trim() === "" || name.length > 128) {
    throw badRequest("name must be a non-empty string of at most 128 characters");
  }
  for (const bookmark of store.bookmarks.values()) {
    if (bookmark.owner === owner && bookmark.name === name && bookmark.id !== except) {
      throw fault(409, "Exists", `A bookmark named '${name}' already exists`);
    }
  }
  return name;
}

function ownBookmark(ctx: RequestContext, caller: AccessTokenRecord, store: TransferStore) {
  const id = ctx.pathParams[0] ?? "";
  const bookmark = store.bookmarks.get(id);
  if (!bookmark || bookmark.owner !== caller.subject) throw notFound(`Bookmark '${id.slice(0, 100)}'`);
  return bookmark;
}

const bookmarkList: TransferHandler = (ctx, caller, store) => {
  ctx.respond.json(200, {
    DATA_TYPE: "bookmark_list",
    DATA: [...store.bookmarks.values()].filter((b) => b.owner === caller.subject).map(bookmarkDocument),
  });
};

const createBookmark: TransferHandler = (ctx, caller, store) => {
  const body = jsonBody(ctx);
  dataType(body, "bookmark");
  const name = checkBookmarkName(store, caller.subject, body.name);
  const { endpoint_id: endpointId, path } = body;
  if (typeof endpointId !== "string" || !isUuid(endpointId))
    throw badRequest("endpoint_id must be a collection id");
  if (typeof path !== "string") throw badRequest("path is required");
  splitPath(path);
  const bookmark = {
    id: randomUUID(),
    owner: caller.subject,
    name,
    endpointId: endpointId.toLowerCase(),
    path,
    pinned: body.pinned === true,
  };
  store.bookmarks.set(bookmark.id, bookmark);
  store.changed();
  ctx.respond.json(200, bookmarkDocument(bookmark));
};

const getBookmark: TransferHandler = (ctx, caller, store) => {
  ctx.respond.json(200, bookmarkDocument(ownBookmark(ctx, caller, store)));
};

const updateBookmark: TransferHandler = (ctx, caller, store) => {
  const bookmark = ownBookmark(ctx, caller, store);
  const body = jsonBody(ctx);
  dataType(body, "bookmark");
  for (const field of Object.keys(body)) {
    if (!["DATA_TYPE", "id", "name", "pinned"].includes(field)) {
      throw badRequest(`Field '${field.slice(0, 50)}' of a bookmark cannot be changed`);
    }
  }
  if (body.name !== undefined)
    bookmark.name = checkBookmarkName(store, caller.subject, body.name, bookmark.id);
  if (body.pinned !== undefined) bookmark.pinned = body.pinned === true;
  store.changed();
  ctx.respond.json(200, bookmarkDocument(bookmark));
};

const deleteBookmark: TransferHandler = (ctx, caller, store) => {
  const bookmark = ownBookmark(ctx, caller, store);
  store.bookmarks.delete(bookmark.id);
  store.changed();
  transferResult(ctx, 200, "Deleted", "Bookmark deleted successfully");
};

/** @internal The fake Transfer's bookmark routes: each identity's own bookmarks. */
export const TRANSFER_BOOKMARK_ROUTES: readonly TransferRoute[] = [
  { pattern: servicePath("bookmark_list"), methods: { GET: bookmarkList } },
  { pattern: servicePath("bookmark"), methods: { POST: createBookmark } },
  {
    pattern: servicePath("bookmark/:id"),
    methods: { GET: getBookmark, PUT: updateBookmark, DELETE: deleteBookmark },
  },
];
