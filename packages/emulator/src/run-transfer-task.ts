import {
  cloneNode,
  ensureDirectory,
  type FileNode,
  globMatch,
  lookup,
  parentOf,
  setChild,
  splitPath,
  TreeError,
  walkFiles,
} from "./transfer-file-tree.ts";
import type { TaskRecord } from "./transfer-records.ts";

/**
 * @internal Does a task's work, at its completion time, at once and item by item, on the file
 * trees `tree` gives by collection id: copies (honouring `sync_level`, `filter_rules`,
 * `preserve_timestamp`, `recursive_symlinks`, `delete_destination_extra`) or deletes. What it finds
 * missing either fails the task (the partial work stays, as a real task's would) or, with
 * `skip_source_errors`, is listed as skipped. A task still `ACTIVE` afterwards has `SUCCEEDED`.
 */
export function runTransferTask(task: TaskRecord, tree: (collectionId: string) => FileNode): void {
  const time = task.completesAt;
  try {
    if (task.type === "DELETE") runDelete(task, time, tree(task.source));
    else runTransfer(task, time, tree);
  } catch (error) {
    if (!(error instanceof TreeError)) throw error;
    fail(task, error.kind === "not-found" ? "FILE_NOT_FOUND" : "PERMISSION_DENIED", error.message, time);
    return;
  }
  if (task.status === "ACTIVE") {
    task.status = "SUCCEEDED";
    task.completionTime = time;
    task.events.push({
      code: "SUCCEEDED",
      isError: false,
      description: "succeeded",
      details: `${task.filesTransferred} files, ${task.bytesTransferred} bytes`,
      time,
    });
  }
}

function fail(task: TaskRecord, code: string, details: string, time: number): void {
  task.status = "FAILED";
  task.completionTime = time;
  task.fatalError = { code, description: details };
  task.events.push({
    code,
    isError: true,
    description: code.toLowerCase().replaceAll("_", " "),
    details,
    time,
  });
}

/** What every item of a transfer task works with. */
interface Copy {
  readonly task: TaskRecord;
  readonly doc: Readonly<Record<string, unknown>>;
  readonly time: number;
  readonly sourceTree: FileNode;
  readonly destinationTree: FileNode;
  /** `preserve_timestamp`: copies keep the source's mtime. */
  readonly preserve: boolean;
  readonly syncLevel: number | undefined;
  /** Whether `filter_rules` leave a directory's entry out of a recursive copy. */
  readonly excluded: (name: string, node: FileNode) => boolean;
}

function runTransfer(task: TaskRecord, time: number, tree: (collectionId: string) => FileNode): void {
  const doc = task.document;
  const sourceTree = tree(task.source);
  const destinationTree = tree(task.destination as string);
  const rules = (Array.isArray(doc.filter_rules) ? doc.filter_rules : []) as Record<string, unknown>[];
  const excluded = (name: string, node: FileNode): boolean => {
    for (const rule of rules) {
      const type = rule.type === "dir" ? "dir" : rule.type === "file" ? "file" : undefined;
      if (type !== undefined && (node.type === "dir") !== (type === "dir")) continue;
      if (globMatch(String(rule.name), name)) return rule.method !== "include";
    }
    return false;
  };
  const copy: Copy = {
    task,
    doc,
    time,
    sourceTree,
    destinationTree,
    preserve: doc.preserve_timestamp === true,
    syncLevel: typeof doc.sync_level === "number" ? doc.sync_level : undefined,
    excluded,
  };
  for (const item of doc.DATA as Record<string, unknown>[]) {
    if (!transferItem(copy, item)) return;
  }
}

/** One item of a transfer task; `false` when it failed the task. */
function transferItem(copy: Copy, item: Record<string, unknown>): boolean {
  const { task, time, destinationTree, preserve } = copy;
  const sourcePath = String(item.source_path);
  const destinationPath = String(item.destination_path);
  const sourceParts = splitPath(sourcePath);
  const destinationParts = splitPath(destinationPath);
  const node = lookup(copy.sourceTree, sourceParts);
  if (!node) return missingSource(copy, item, sourcePath, destinationPath);
  if (item.DATA_TYPE === "transfer_symlink_item") {
    const [parent, name] = parentOf(destinationTree, destinationParts, destinationPath);
    setChild(parent, name, cloneNode(node, preserve ? undefined : time));
    task.symlinks++;
    return true;
  }
  if (node.type === "dir" && item.recursive === false) {
    fail(task, "IS_A_DIRECTORY", `'${sourcePath}' is a directory; use recursive`, time);
    return false;
  }
  const entries: [string, FileNode][] =
    node.type === "dir" ? [...walkFiltered(node, "", copy.excluded)] : [["", node]];
  if (node.type === "dir") {
    task.directories++;
    ensureDirectory(destinationTree, destinationParts, time);
  }
  for (const [relative, leaf] of entries) {
    copyEntry(copy, relative, leaf, [sourcePath, destinationPath], destinationParts);
  }
  if (node.type === "dir" && copy.doc.delete_destination_extra === true) {
    const wanted = new Set(entries.map(([relative]) => relative));
    const target = lookup(destinationTree, destinationParts);
    if (target) deleteExtra(target, "", wanted);
  }
  return true;
}

/** A source that is not there: skipped with `skip_source_errors`, else the task fails. */
function missingSource(
  copy: Copy,
  item: Record<string, unknown>,
  sourcePath: string,
  destinationPath: string,
): boolean {
  const { task, time } = copy;
  const details = `No such file or directory: '${sourcePath}' on the source collection`;
  if (copy.doc.skip_source_errors !== true) {
    fail(task, "FILE_NOT_FOUND", details, time);
    return false;
  }
  task.skipped.push({
    sourcePath,
    destinationPath,
    errorCode: "FILE_NOT_FOUND",
    errorDetails: details,
    time,
    isDirectory: item.recursive === true,
  });
  task.events.push({ code: "FILE_NOT_FOUND", isError: true, description: "file not found", details, time });
  return true;
}

/** Copies one file (or symlink) of an item, at `relative` under the item's paths, unless in sync. */
function copyEntry(
  copy: Copy,
  relative: string,
  leaf: FileNode,
  [sourcePath, destinationPath]: readonly [string, string],
  destinationParts: readonly string[],
): void {
  const { task, doc, time, destinationTree } = copy;
  const targetParts = relative === "" ? destinationParts : [...destinationParts, ...relative.split("/")];
  ensureDirectory(destinationTree, targetParts.slice(0, -1), time);
  const [parent, name] = parentOf(destinationTree, targetParts, destinationPath);
  if (leaf.type === "symlink" && doc.recursive_symlinks !== "keep" && doc.recursive_symlinks !== "copy")
    return;
  task.files++;
  const existing = parent.children?.[name];
  if (existing && copy.syncLevel !== undefined && inSync(existing, leaf, copy.syncLevel)) {
    task.filesSkipped++;
    return;
  }
  setChild(parent, name, cloneNode(leaf, copy.preserve ? undefined : time));
  task.filesTransferred++;
  task.bytesTransferred += leaf.size;
  // Paths as the caller wrote them (`/~/…` stays), the way the item named them.
  const under = (base: string) => (relative === "" ? base : `${base.replace(/\/?$/, "/")}${relative}`);
  task.successful.push([under(sourcePath), under(destinationPath)]);
}

function* walkFiltered(
  node: FileNode,
  prefix: string,
  excluded: (name: string, node: FileNode) => boolean,
): Generator<[string, FileNode]> {
  for (const [name, child] of Object.entries(node.children ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (excluded(name, child)) continue;
    const path = prefix === "" ? name : `${prefix}/${name}`;
    if (child.type === "dir") yield* walkFiltered(child, path, excluded);
    else yield [path, child];
  }
}

function deleteExtra(node: FileNode, prefix: string, wanted: ReadonlySet<string>): void {
  for (const [name, child] of Object.entries(node.children ?? {})) {
    const path = prefix === "" ? name : `${prefix}/${name}`;
    if (child.type === "dir") deleteExtra(child, path, wanted);
    else if (!wanted.has(path)) delete node.children?.[name];
  }
}

function inSync(existing: FileNode, source: FileNode, level: number): boolean {
  if (existing.type !== source.type) return false;
  if (level === 0) return true;
  if (existing.size !== source.size) return false;
  if (level === 1) return true;
  if (level === 2) return existing.mtime >= source.mtime;
  return existing.content === source.content;
}

function runDelete(task: TaskRecord, time: number, tree: FileNode): void {
  const doc = task.document;
  for (const item of doc.DATA as Record<string, unknown>[]) {
    const path = String(item.path);
    const parts = splitPath(path);
    const node = lookup(tree, parts);
    if (!node) {
      if (doc.ignore_missing === true) continue;
      fail(task, "FILE_NOT_FOUND", `No such file or directory: '${path}'`, time);
      return;
    }
    if (node.type === "dir" && doc.recursive !== true) {
      fail(task, "IS_A_DIRECTORY", `'${path}' is a directory; use recursive`, time);
      return;
    }
    const [parent, name] = parentOf(tree, parts, path);
    for (const [, leaf] of walkFiles(node, "")) if (leaf.type !== "dir") task.files++;
    if (node.type === "dir") task.directories++;
    delete parent.children?.[name];
  }
}
