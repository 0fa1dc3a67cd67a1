import { isoTime } from "./iso-time.ts";
import { servicePath } from "./service-request.ts";
import { checkAccess } from "./transfer-access.ts";
import { badRequest, fault, transferResult } from "./transfer-answers.ts";
import {
  directoryPath,
  fileDocument,
  lookup,
  parentOf,
  setChild,
  splitPath,
  TreeError,
} from "./transfer-file-tree.ts";
import { numberMatches, orderBy, parseFilter, textMatches, timeMatches } from "./transfer-filters.ts";
import { collectionId, dataType, integerParam, jsonBody } from "./transfer-request.ts";
import type { TransferHandler, TransferRoute } from "./transfer-route.ts";

/**
 * `GET operation/endpoint/<id>/ls`: 401 without a live Transfer token, 403 with a GARE when the
 * collection's MFA, policy or data_access requirement is unmet (checked in that order), 403
 * `PermissionDenied` without read access, 404 for a missing directory, else a listing with
 * `show_hidden`, `filter`, `orderby`, `limit` and `offset` applied.
 */
const ls: TransferHandler = (ctx, caller, store) => {
  const id = collectionId(ctx);
  const path = ctx.query.get("path") || "/~/";
  checkAccess(ctx, caller, store, id, path, "r");
  const parts = splitPath(path);
  const node = lookup(store.tree(id), parts);
  if (!node) throw new TreeError("not-found", `Directory '${path}' not found on endpoint ${id}`);
  if (node.type !== "dir") throw new TreeError("not-a-directory", `'${path}' is not a directory`);
  const showHidden = !["0", "false", "False"].includes(ctx.query.get("show_hidden") ?? "1");
  const filters = parseFilter(ctx.query.get("filter"), [
    "name",
    "type",
    "size",
    "last_modified",
    "permissions",
    "user",
    "group",
  ]);
  const limit = integerParam(ctx, "limit", 100_000, 0, 100_000);
  const offset = integerParam(ctx, "offset", 0, 0, Number.MAX_SAFE_INTEGER);
  const iso = (seconds: number) => isoTime(seconds);
  let files = Object.entries(node.children ?? {})
    .filter(([name]) => showHidden || !name.startsWith("."))
    .map(([name, child]) => fileDocument(name, child, iso));
  files = files.filter((file) =>
    [...filters].every(([field, value]) => {
      if (field === "size") return numberMatches(value, file.size as number);
      if (field === "last_modified")
        return timeMatches(value, Date.parse(String(file.last_modified).replace(" ", "T")) / 1000);
      return textMatches(value, String(file[field]));
    }),
  );
  files.sort(
    orderBy<Record<string, unknown>>(
      ctx.query.get("orderby"),
      Object.fromEntries(
        ["name", "type", "size", "last_modified", "permissions", "user", "group"].map((field) => [
          field,
          (file: Record<string, unknown>) => file[field] as string | number,
        ]),
      ),
      "name ASC",
    ),
  );
  const page = files.slice(offset, offset + limit);
  ctx.respond.json(200, {
    DATA_TYPE: "file_list",
    endpoint: id,
    path: path.endsWith("/") ? path : `${path}/`,
    absolute_path: directoryPath(parts),
    length: page.length,
    total: files.length,
    rename_supported: true,
    symlink_supported: true,
    DATA: page,
  });
};

/** `POST operation/endpoint/<id>/mkdir` `{ DATA_TYPE: "mkdir", path }`. */
const mkdir: TransferHandler = (ctx, caller, store) => {
  const id = collectionId(ctx);
  const body = jsonBody(ctx);
  dataType(body, "mkdir");
  if (typeof body.path !== "string") throw badRequest("path is required");
  checkAccess(ctx, caller, store, id, body.path, "rw");
  const parts = splitPath(body.path);
  const [parent, name] = parentOf(store.tree(id), parts, body.path);
  if (parent.children?.[name]) throw new TreeError("exists", `Path '${body.path}' already exists`);
  setChild(parent, name, {
    type: "dir",
    size: 4096,
    mtime: Math.floor(ctx.state.now()),
    permissions: "0755",
    children: {},
  });
  store.changed();
  transferResult(ctx, 202, "DirectoryCreated", "The directory was created successfully", "mkdir_result");
};

/** `POST operation/endpoint/<id>/rename` `{ DATA_TYPE: "rename", old_path, new_path }`. */
const rename: TransferHandler = (ctx, caller, store) => {
  const id = collectionId(ctx);
  const body = jsonBody(ctx);
  dataType(body, "rename");
  const { old_path: oldPath, new_path: newPath } = body;
  if (typeof oldPath !== "string" || typeof newPath !== "string")
    throw badRequest("old_path and new_path are required");
  checkAccess(ctx, caller, store, id, oldPath, "rw");
  checkAccess(ctx, caller, store, id, newPath, "rw");
  const tree = store.tree(id);
  const oldParts = splitPath(oldPath);
  const newParts = splitPath(newPath);
  const [oldParent, oldName] = parentOf(tree, oldParts, oldPath);
  const node = oldParent.children?.[oldName];
  if (!node) throw new TreeError("not-found", `Path '${oldPath}' not found`);
  if (newParts.length > oldParts.length && oldParts.every((part, i) => newParts[i] === part)) {
    throw badRequest("A directory cannot be moved into itself");
  }
  const [newParent, newName] = parentOf(tree, newParts, newPath);
  if (newParent.children?.[newName])
    throw fault(502, "ExternalError.RenameFailed.Exists", `Path '${newPath}' already exists`);
  delete oldParent.children?.[oldName];
  setChild(newParent, newName, node);
  store.changed();
  transferResult(ctx, 200, "FileRenamed", "File or directory renamed successfully");
};

/** `GET operation/endpoint/<id>/stat?path=…`: a `file` document. */
const stat: TransferHandler = (ctx, caller, store) => {
  const id = collectionId(ctx);
  const path = ctx.query.get("path");
  if (!path) throw badRequest("path is required");
  checkAccess(ctx, caller, store, id, path, "r");
  const parts = splitPath(path);
  const node = lookup(store.tree(id), parts);
  if (!node) throw new TreeError("not-found", `Path '${path}' not found on endpoint ${id}`);
  ctx.respond.json(200, fileDocument(parts[parts.length - 1] ?? "/", node, isoTime));
};

/** @internal The fake Transfer's file operation routes: list, make a directory, rename, stat. */
export const TRANSFER_FILE_ROUTES: readonly TransferRoute[] = [
  { pattern: servicePath("operation/endpoint/:id/ls"), methods: { GET: ls } },
  { pattern: servicePath("operation/endpoint/:id/mkdir"), methods: { POST: mkdir } },
  { pattern: servicePath("operation/endpoint/:id/rename"), methods: { POST: rename } },
  { pattern: servicePath("operation/endpoint/:id/stat"), methods: { GET: stat } },
];
