/** @internal A file, directory or symlink of a fake collection's file system. */
export interface FileNode {
  type: "file" | "dir" | "symlink";
  size: number;
  /** Emulator-clock seconds of the last change. */
  mtime: number;
  permissions: string;
  /** For files: a stand-in for the content, so copies and checksums can be compared. */
  content?: string;
  /** For symlinks. */
  linkTarget?: string;
  /** For directories. */
  children?: Record<string, FileNode>;
}

/** @internal Thrown by tree operations; the route turns it into Transfer's error. */
export class TreeError extends Error {
  override readonly name = "TreeError";
  constructor(
    readonly kind: "not-found" | "exists" | "not-a-directory" | "is-a-directory" | "invalid-path",
    message: string,
  ) {
    super(message);
  }
}

/** Where `/~/` points: Globus Connect maps it to the user's home; every fake collection has one. */
export const HOME = "/home/emulator";

/**
 * @internal Splits a Transfer path into names: `/~/` is the home directory, `.` and empty parts
 * drop out, `..` is refused (Transfer paths are absolute and canonical).
 */
export function splitPath(path: string): string[] {
  if (typeof path !== "string" || !path.startsWith("/") || path.length > 4096 || path.includes("\0")) {
    throw new TreeError(
      "invalid-path",
      `Invalid path '${String(path).slice(0, 200)}'; paths must be absolute`,
    );
  }
  const expanded = path === "/~" || path.startsWith("/~/") ? HOME + path.slice(2) : path;
  const parts = expanded.split("/").filter((part) => part !== "" && part !== ".");
  if (parts.includes("..")) throw new TreeError("invalid-path", `Invalid path '${path.slice(0, 200)}'`);
  return parts;
}

/** @internal A path as Transfer echoes a directory: absolute, ending in `/`. */
export function directoryPath(parts: readonly string[]): string {
  return parts.length === 0 ? "/" : `/${parts.join("/")}/`;
}

const file = (size: number, mtime: number, content: string): FileNode => ({
  type: "file",
  size,
  mtime,
  permissions: "0644",
  content,
});
const dir = (mtime: number, children: Record<string, FileNode> = {}): FileNode => ({
  type: "dir",
  size: 4096,
  mtime,
  permissions: "0755",
  children,
});

/**
 * @internal The sample tree every fake collection starts with: `/~/` holding `README.txt`,
 * `results.csv`, `data/` (two small files), `many/` (250 tiny files, to page through), `.hidden`,
 * and a `latest` symlink to `results.csv`; plus `/shared/` for guest-collection access rules.
 */
export function sampleTree(mtime: number): FileNode {
  const many: Record<string, FileNode> = {};
  for (let i = 0; i < 250; i++) {
    const name = `file-${String(i).padStart(3, "0")}.dat`;
    many[name] = file(16, mtime, `many-${i}`);
  }
  const home = dir(mtime, {
    "README.txt": file(1024, mtime, "readme"),
    "results.csv": file(52_431, mtime, "results"),
    ".hidden": file(12, mtime, "hidden"),
    latest: { type: "symlink", size: 11, mtime, permissions: "0777", linkTarget: `${HOME}/results.csv` },
    data: dir(mtime, {
      "a.txt": file(100, mtime, "a"),
      "b.bin": file(2048, mtime, "b"),
    }),
    many: dir(mtime, many),
  });
  return dir(mtime, {
    home: dir(mtime, { emulator: home }),
    shared: dir(mtime, { "notes.txt": file(300, mtime, "notes") }),
  });
}

/** @internal The node at `parts`, or `undefined`. */
export function lookup(root: FileNode, parts: readonly string[]): FileNode | undefined {
  let node: FileNode | undefined = root;
  for (const part of parts) {
    node = node?.type === "dir" ? node.children?.[part] : undefined;
    if (!node) return undefined;
  }
  return node;
}

/** @internal The directory holding `parts` (which must not be the root) and the last name. */
export function parentOf(root: FileNode, parts: readonly string[], path: string): [FileNode, string] {
  const name = parts[parts.length - 1];
  if (name === undefined) throw new TreeError("invalid-path", "The root directory cannot be changed");
  const parent = lookup(root, parts.slice(0, -1));
  if (!parent)
    throw new TreeError(
      "not-found",
      `Directory '${directoryPath(parts.slice(0, -1))}' not found (for '${path}')`,
    );
  if (parent.type !== "dir")
    throw new TreeError("not-a-directory", `'${directoryPath(parts.slice(0, -1))}' is not a directory`);
  return [parent, name];
}

/** @internal Puts `node` into a directory under `name`, replacing what was there. */
export function setChild(parent: FileNode, name: string, node: FileNode): void {
  parent.children ??= {};
  parent.children[name] = node;
}

/** @internal Makes every missing directory on the way to `parts` (Transfer creates destination parents). */
export function ensureDirectory(root: FileNode, parts: readonly string[], mtime: number): FileNode {
  let node = root;
  for (const part of parts) {
    if (node.type !== "dir") throw new TreeError("not-a-directory", `'${part}' is under a file`);
    node.children ??= {};
    node.children[part] ??= dir(mtime);
    node = node.children[part] as FileNode;
  }
  if (node.type !== "dir")
    throw new TreeError("not-a-directory", `'${directoryPath(parts)}' is not a directory`);
  return node;
}

/** @internal A deep copy of a node, with a new mtime unless the timestamps are preserved. */
export function cloneNode(node: FileNode, mtime: number | undefined): FileNode {
  const copy: FileNode = { ...node, mtime: mtime ?? node.mtime };
  if (node.children) {
    copy.children = Object.fromEntries(
      Object.entries(node.children).map(([name, child]) => [name, cloneNode(child, mtime)]),
    );
  }
  return copy;
}

/** @internal Every file and symlink under a node, with their paths relative to it. */
export function* walkFiles(node: FileNode, prefix: string): Generator<[string, FileNode]> {
  if (node.type !== "dir") {
    yield [prefix, node];
    return;
  }
  for (const [name, child] of Object.entries(node.children ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    yield* walkFiles(child, prefix === "" ? name : `${prefix}/${name}`);
  }
}

/** @internal Transfer's `file` document of a node. */
export function fileDocument(
  name: string,
  node: FileNode,
  iso: (seconds: number) => string,
): Record<string, unknown> {
  return {
    DATA_TYPE: "file",
    name,
    type: node.type,
    link_target: node.type === "symlink" ? (node.linkTarget ?? null) : null,
    permissions: node.permissions,
    size: node.size,
    user: "emulator",
    group: "emulator",
    // Transfer writes "2024-01-02 03:04:05+00:00": a space, not a T.
    last_modified: iso(node.mtime).replace("T", " ").replace(/\.\d+/, ""),
  };
}

/** @internal Whether a glob (`*`, `?`) matches a name. */
export function globMatch(glob: string, name: string): boolean {
  const pattern = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${pattern}$`, "s").test(name);
}
