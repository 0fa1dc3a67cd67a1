import type { FileDocument, TransferClient } from "globus-app";
import { formatSize, h } from "./dom.ts";

/** A collection as the panel shows it: its id, and the name people know it by. */
export interface CollectionChoice {
  readonly id: string;
  readonly name: string;
}

/**
 * Runs one Transfer call of a pane on the panel's terms: the panel words errors, turns a GARE into
 * a consent step that retries `action`, and says whether it went through.
 */
export type PaneRunner = (
  collection: CollectionChoice,
  action: () => Promise<void>,
  retry: () => Promise<unknown>,
) => Promise<boolean>;

export interface FileBrowserOptions {
  /** Used in element ids (`pane-left-…`) and labels ("Left collection"). */
  readonly side: "left" | "right";
  readonly transfer: TransferClient;
  readonly run: PaneRunner;
  /** The collection, the folder or the selection changed. */
  readonly onChange: () => void;
}

/** An entry picked for a transfer: its full path, and whether it is a folder. */
export interface SelectedEntry {
  readonly name: string;
  readonly path: string;
  readonly isDir: boolean;
}

const HOME = "/~/";

/** `/a/b/` + `c` → `/a/b/c`; directories always end in `/` here. */
const join = (dir: string, name: string): string => `${dir.endsWith("/") ? dir : `${dir}/`}${name}`;

/** The parent of an absolute directory path, or `undefined` at the root. */
function parentOf(dir: string): string | undefined {
  const parts = dir.split("/").filter(Boolean);
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? "/" : `/${parts.slice(0, -1).join("/")}/`;
}

/** A file or folder name a person typed: one path segment. */
function checkName(name: string): string | undefined {
  if (name === "") return "Type a name.";
  if (name.includes("/")) return "A name cannot contain “/”.";
  if (name === "." || name === "..") return "Pick another name.";
  return undefined;
}

/** "2026-11-01 12:00" from Transfer's "2026-11-01 12:00:00+00:00". */
const shortTime = (value: string | null | undefined): string =>
  value ? value.slice(0, 16).replace("T", " ") : "";

/**
 * One side of the transfer panel: a collection picker, the folder it shows, and the file
 * operations a portal offers (open a folder, go up, make a folder, rename, select for a transfer).
 */
export class FileBrowser {
  readonly element: HTMLElement;
  collection: CollectionChoice | undefined;
  /** The folder shown, as Transfer was asked for it (`/~/` for home, else absolute). */
  path = HOME;

  readonly #options: FileBrowserOptions;
  #absolutePath: string | null = null;
  #entries: FileDocument[] = [];
  readonly #selected = new Set<string>();
  #choices: CollectionChoice[] = [];
  #nameFormMode: "mkdir" | "rename" = "mkdir";
  #renaming: string | undefined;

  readonly #controls: HTMLFieldSetElement;
  readonly #picker: HTMLSelectElement;
  readonly #heading: HTMLHeadingElement;
  readonly #pathInput: HTMLInputElement;
  readonly #up: HTMLButtonElement;
  readonly #rename: HTMLButtonElement;
  readonly #nameForm: HTMLFormElement;
  readonly #nameLabel: HTMLLabelElement;
  readonly #nameInput: HTMLInputElement;
  readonly #nameSubmit: HTMLButtonElement;
  readonly #note: HTMLParagraphElement;
  readonly #body: HTMLTableSectionElement;

  constructor(options: FileBrowserOptions) {
    this.#options = options;
    const id = (part: string): string => `pane-${options.side}-${part}`;
    const sideName = options.side === "left" ? "Left" : "Right";

    this.#picker = h("select", { id: id("collection") });
    this.#picker.addEventListener("change", () => {
      const choice = this.#choices.find((c) => c.id === this.#picker.value);
      if (choice) void this.open(choice, HOME);
    });
    this.#heading = h("h3", { id: id("heading"), class: "pane-heading" }, "No collection chosen");
    this.#pathInput = h("input", {
      id: id("path"),
      type: "text",
      autocomplete: "off",
      spellcheck: "false",
      value: HOME,
    });
    this.#up = h(
      "button",
      { type: "button", class: "secondary small", onclick: () => void this.#goUp() },
      "Up",
    );
    const pathForm = h(
      "form",
      { class: "path-form" },
      h("label", { for: id("path") }, "Path"),
      this.#pathInput,
      h("button", { type: "submit", class: "secondary small" }, "Go"),
      this.#up,
    );
    pathForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const path = this.#pathInput.value.trim() || HOME;
      if (this.collection) void this.open(this.collection, path.endsWith("/") ? path : `${path}/`);
    });

    this.#rename = h(
      "button",
      { type: "button", class: "secondary small", onclick: () => this.#showNameForm("rename") },
      "Rename",
    );
    const toolbar = h(
      "div",
      { class: "toolbar" },
      h(
        "button",
        { type: "button", class: "secondary small", onclick: () => this.#showNameForm("mkdir") },
        "New folder",
      ),
      this.#rename,
      h(
        "button",
        { type: "button", class: "secondary small", onclick: () => void this.refresh() },
        "Refresh",
      ),
    );

    this.#nameLabel = h("label", { for: id("name") }, "New folder name");
    this.#nameInput = h("input", { id: id("name"), type: "text", autocomplete: "off", spellcheck: "false" });
    this.#nameSubmit = h("button", { type: "submit", class: "small" }, "Create");
    this.#nameForm = h(
      "form",
      { class: "name-form", hidden: true },
      this.#nameLabel,
      this.#nameInput,
      this.#nameSubmit,
      h(
        "button",
        { type: "button", class: "secondary small", onclick: () => this.#hideNameForm() },
        "Cancel",
      ),
    );
    this.#nameForm.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.#submitName();
    });

    this.#note = h("p", { class: "pane-note", "aria-live": "polite" });
    this.#body = h("tbody");
    const table = h(
      "table",
      { class: "files", id: id("listing") },
      h("caption", { class: "visually-hidden" }, `Files in the ${options.side} collection`),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col", class: "check" }, h("span", { class: "visually-hidden" }, "Select")),
          h("th", { scope: "col" }, "Name"),
          h("th", { scope: "col", class: "size" }, "Size"),
          h("th", { scope: "col", class: "modified" }, "Modified"),
        ),
      ),
      this.#body,
    );

    // One fieldset, disabled while a call of this pane runs: no second click starts a second call.
    this.#controls = h(
      "fieldset",
      { class: "pane-controls" },
      h("legend", { class: "visually-hidden" }, `${sideName} collection`),
      h("label", { for: id("collection"), class: "picker-label" }, `${sideName} collection`),
      this.#picker,
      this.#heading,
      pathForm,
      toolbar,
      this.#nameForm,
      this.#note,
      h("div", { class: "files-wrap" }, table),
    );
    this.element = h(
      "section",
      { class: "pane", id: `pane-${options.side}`, "aria-labelledby": id("heading") },
      this.#controls,
    );
    this.#renderChoices();
    this.#updateButtons();
  }

  /** The collections the picker offers (the current one stays, even when a new search misses it). */
  setChoices(choices: readonly CollectionChoice[]): void {
    this.#choices = [...choices];
    if (this.collection && !this.#choices.some((c) => c.id === this.collection?.id)) {
      this.#choices.unshift(this.collection);
    }
    this.#renderChoices();
  }

  /** What is ticked in this folder, with full paths. */
  get selection(): SelectedEntry[] {
    return this.#entries
      .filter((entry) => this.#selected.has(entry.name))
      .map((entry) => ({
        name: entry.name,
        path: join(this.path, entry.name) + (entry.type === "dir" ? "/" : ""),
        isDir: entry.type === "dir",
      }));
  }

  /** While true, every control of the pane is disabled. */
  set busy(value: boolean) {
    this.#controls.disabled = value;
    this.element.setAttribute("aria-busy", String(value));
  }

  /** Shows `collection` at `path`; on failure the pane keeps what it showed before. */
  open(collection: CollectionChoice, path: string = HOME): Promise<boolean> {
    if (!this.#choices.some((c) => c.id === collection.id)) this.setChoices([collection, ...this.#choices]);
    return this.#runBusy(collection, () => this.#list(collection, path));
  }

  async #list(collection: CollectionChoice, path: string): Promise<void> {
    this.#note.textContent = `Listing ${collection.name}…`;
    const listing = await this.#options.transfer.operationLs(collection.id, {
      path,
      orderby: ["type ASC", "name ASC"],
    });
    const changedFolder = collection.id !== this.collection?.id || path !== this.path;
    this.collection = collection;
    this.path = listing.path || path;
    this.#absolutePath = listing.absolute_path;
    this.#entries = listing.DATA;
    if (changedFolder) this.#selected.clear();
    for (const name of this.#selected) {
      if (!this.#entries.some((entry) => entry.name === name)) this.#selected.delete(name);
    }
    this.#render();
  }

  /** Lists the folder shown once more (after a transfer into it, say). */
  refresh(): Promise<boolean> {
    return this.collection ? this.open(this.collection, this.path) : Promise.resolve(false);
  }

  /** Forgets everything shown (on sign-out). */
  clear(): void {
    this.collection = undefined;
    this.path = HOME;
    this.#absolutePath = null;
    this.#entries = [];
    this.#selected.clear();
    this.#choices = [];
    this.#hideNameForm();
    this.#renderChoices();
    this.#heading.textContent = "No collection chosen";
    this.#note.textContent = "";
    this.#body.replaceChildren();
    this.#updateButtons();
  }

  async #runBusy(collection: CollectionChoice, action: () => Promise<void>): Promise<boolean> {
    this.busy = true;
    try {
      // The retry (after a consent step) runs the whole of it again, busy state and all.
      const ok = await this.#options.run(collection, action, () => this.#runBusy(collection, action));
      if (!ok) this.#note.textContent = this.collection ? this.#summary() : "";
      return ok;
    } finally {
      this.busy = false;
      this.#picker.value = this.collection?.id ?? "";
      this.#updateButtons();
      this.#options.onChange();
    }
  }

  #goUp(): void {
    const parent = parentOf(this.#absolutePath ?? this.path);
    if (this.collection && parent) void this.open(this.collection, parent);
  }

  #showNameForm(mode: "mkdir" | "rename"): void {
    this.#nameFormMode = mode;
    if (mode === "rename") {
      const [only] = this.selection;
      if (!only || this.#selected.size !== 1) return;
      this.#renaming = only.name;
      this.#nameLabel.textContent = `New name for ${only.name}`;
      this.#nameInput.value = only.name;
      this.#nameSubmit.textContent = "Save";
    } else {
      this.#renaming = undefined;
      this.#nameLabel.textContent = "New folder name";
      this.#nameInput.value = "";
      this.#nameSubmit.textContent = "Create";
    }
    this.#nameForm.hidden = false;
    this.#nameInput.focus();
    this.#nameInput.select();
  }

  #hideNameForm(): void {
    this.#nameForm.hidden = true;
    this.#renaming = undefined;
  }

  async #submitName(): Promise<void> {
    const collection = this.collection;
    if (!collection) return;
    const name = this.#nameInput.value.trim();
    const problem = checkName(name);
    if (problem) {
      this.#note.textContent = problem;
      this.#nameInput.focus();
      return;
    }
    const dir = this.path;
    const mode = this.#nameFormMode;
    const oldName = this.#renaming;
    let done = "Nothing to rename.";
    const ok = await this.#runBusy(collection, async () => {
      if (mode === "mkdir") {
        this.#note.textContent = `Making folder ${name}…`;
        await this.#options.transfer.operationMkdir(collection.id, join(dir, name));
        done = `Made folder ${name}.`;
      } else if (oldName !== undefined && oldName !== name) {
        this.#note.textContent = `Renaming ${oldName} to ${name}…`;
        await this.#options.transfer.operationRename(collection.id, join(dir, oldName), join(dir, name));
        this.#selected.delete(oldName);
        this.#selected.add(name);
        done = `Renamed ${oldName} to ${name}.`;
      }
      this.#hideNameForm();
      await this.#list(collection, dir);
    });
    if (ok) this.#note.textContent = done;
  }

  #summary(): string {
    const count = this.#entries.length;
    const picked = this.#selected.size;
    return `${count} item${count === 1 ? "" : "s"}${picked ? `, ${picked} selected` : ""}`;
  }

  #renderChoices(): void {
    this.#picker.replaceChildren(
      h("option", { value: "" }, this.#choices.length ? "Choose a collection…" : "No collections found yet"),
      ...this.#choices.map((choice) => h("option", { value: choice.id }, choice.name)),
    );
    this.#picker.value = this.collection?.id ?? "";
  }

  #updateButtons(): void {
    this.#rename.disabled = this.#selected.size !== 1;
    this.#up.disabled = !this.collection || parentOf(this.#absolutePath ?? this.path) === undefined;
  }

  #render(): void {
    const collection = this.collection;
    if (!collection) return;
    this.#heading.textContent = collection.name;
    this.#heading.title = collection.id;
    this.#pathInput.value = this.path;
    this.#note.textContent = this.#summary();
    if (this.#entries.length === 0) {
      this.#body.replaceChildren(
        h("tr", {}, h("td", { colspan: "4", class: "empty" }, "This folder is empty.")),
      );
      return;
    }
    this.#body.replaceChildren(...this.#entries.map((entry) => this.#row(entry)));
  }

  #row(entry: FileDocument): HTMLTableRowElement {
    const collection = this.collection as CollectionChoice;
    const isDir = entry.type === "dir";
    const box = h("input", { type: "checkbox", "aria-label": `Select ${entry.name}` });
    box.checked = this.#selected.has(entry.name);
    box.addEventListener("change", () => {
      if (box.checked) this.#selected.add(entry.name);
      else this.#selected.delete(entry.name);
      this.#note.textContent = this.#summary();
      this.#updateButtons();
      this.#options.onChange();
    });
    const name = isDir
      ? h(
          "button",
          {
            type: "button",
            class: "link",
            onclick: () => void this.open(collection, `${join(this.path, entry.name)}/`),
          },
          `${entry.name}/`,
        )
      : h("span", {}, entry.type === "symlink" ? `${entry.name} →` : entry.name);
    return h(
      "tr",
      { "data-name": entry.name },
      h("td", { class: "check" }, box),
      h("th", { scope: "row", class: "name" }, name),
      h("td", { class: "size", "data-label": "Size" }, isDir ? "folder" : formatSize(entry.size)),
      h("td", { class: "modified", "data-label": "Modified" }, shortTime(entry.last_modified)),
    );
  }
}
