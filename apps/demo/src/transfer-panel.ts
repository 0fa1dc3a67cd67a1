import {
  type EndpointDocument,
  type GARE,
  type GlobusAuthorizationParameters,
  isGlobusAPIError,
  type TaskDocument,
  type TransferClient,
  TransferData,
  toGare,
} from "globus-app";
import type { DemoConfig } from "./config.ts";
import type { ErrorReport } from "./describe-error.ts";
import { h } from "./dom.ts";
import { type CollectionChoice, FileBrowser } from "./file-browser.ts";
import { gareNeeds } from "./gare.ts";
import { ProblemNotice } from "./problem-notice.ts";
import { sessionState } from "./session-state.ts";
import { TaskHistory, TaskView } from "./task-view.ts";

export interface TransferPanelOptions {
  readonly transfer: TransferClient;
  readonly config: DemoConfig;
  /** Words for a failure (the page's `describeError`). */
  readonly describe: (error: unknown) => ErrorReport;
  /** Navigates to Globus; comes back to this page (see {@link TransferPanel.show}'s redrive). */
  readonly signInWithRedirect: (authParams?: GlobusAuthorizationParameters) => void;
  /** Must be called straight from a click; resolves `true` once signed in. */
  readonly signInWithPopup: (authParams?: GlobusAuthorizationParameters) => Promise<boolean>;
}

/** A transfer as the panel submits it: plain data, so it can wait in sessionStorage across a login. */
interface TransferSpec {
  readonly source: CollectionChoice;
  readonly destination: CollectionChoice;
  readonly items: readonly { source: string; destination: string; recursive: boolean }[];
  readonly label: string;
}

interface SavedPane {
  readonly collection: CollectionChoice;
  readonly path: string;
}

/** What the panel showed, kept for this tab so that a redirect login comes back to it. */
interface SavedState {
  left?: SavedPane | undefined;
  right?: SavedPane | undefined;
  task?: string | undefined;
  /** A transfer that waited for a consent by redirect: submitted once the login is back. */
  pending?: TransferSpec | undefined;
}

const saved = sessionState<SavedState>("globus-app-demo:transfer-panel");

/**
 * "Demo portal copy of README.txt and 2 more": letters, digits, spaces and `-_.,()` only (a
 * conservative reading of what Transfer accepts in a label), at most 128 characters.
 */
function taskLabel(names: readonly string[]): string {
  const [first = "files"] = names;
  const text = names.length > 1 ? `${first} and ${names.length - 1} more` : first;
  return `Demo portal copy of ${text}`.replace(/[^A-Za-z0-9 ._,()-]/g, "_").slice(0, 128);
}

/** Which of a transfer's collections a GARE is about: its id is in the scopes or the message. */
function askingCollection(
  params: GlobusAuthorizationParameters,
  candidates: readonly CollectionChoice[],
): string | undefined {
  const text = [...(params.required_scopes ?? []), params.session_message ?? ""].join(" ").toLowerCase();
  return candidates.find((candidate) => text.includes(candidate.id.toLowerCase()))?.name;
}

const choiceOf = (doc: EndpointDocument): CollectionChoice => ({
  id: doc.id,
  name: doc.display_name || doc.id,
});

/**
 * The data-portal part of the demo: two collections side by side, folders, renames, transfers
 * either way, the task watched to its end, and the task history. Every Transfer call goes through
 * one runner that words errors in the panel and turns a GARE (`ConsentRequired` for a mapped
 * collection's `data_access`, MFA, policies) into a consent step that retries the call.
 */
export class TransferPanel {
  readonly element: HTMLElement;

  readonly #options: TransferPanelOptions;
  readonly #left: FileBrowser;
  readonly #right: FileBrowser;
  readonly #task: TaskView;
  readonly #history: TaskHistory;
  readonly #toRight: HTMLButtonElement;
  readonly #toLeft: HTMLButtonElement;
  readonly #searchForm: HTMLFormElement;
  readonly #searchText: HTMLInputElement;
  readonly #problem: ProblemNotice;
  readonly #consent: HTMLElement;
  readonly #note: HTMLParagraphElement;
  #shown = false;
  #submitting = false;
  #pendingRetry: { gare: GARE; retry: () => Promise<unknown>; spec?: TransferSpec | undefined } | undefined;

  constructor(element: HTMLElement, options: TransferPanelOptions) {
    this.element = element;
    this.#options = options;
    const paneOptions = {
      transfer: options.transfer,
      run: (collection: CollectionChoice, action: () => Promise<void>, retry: () => Promise<unknown>) =>
        this.#run(collection.name, action, retry),
      onChange: () => this.#changed(),
    };
    this.#left = new FileBrowser({ ...paneOptions, side: "left" });
    this.#right = new FileBrowser({ ...paneOptions, side: "right" });
    this.#task = new TaskView({
      transfer: options.transfer,
      onError: (error) => this.#problem.show(error),
      onSettled: (task) => void this.#settled(task),
    });
    this.#history = new TaskHistory({
      transfer: options.transfer,
      onError: (error) => this.#problem.show(error),
      onOpen: (taskId) => {
        saved.save({ task: taskId });
        void this.#task.watch(taskId);
        this.#task.element.scrollIntoView({ block: "nearest" });
      },
    });

    this.#searchText = h("input", {
      id: "collection-search-text",
      type: "search",
      autocomplete: "off",
      value: options.config.collectionSearch,
    });
    this.#searchForm = h(
      "form",
      { class: "inline-form", id: "collection-search" },
      h("label", { for: "collection-search-text" }, "Find collections"),
      this.#searchText,
      h("button", { type: "submit", class: "secondary" }, "Find"),
    );
    this.#searchForm.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.#findCollections();
    });

    this.#toRight = h(
      "button",
      { type: "button", id: "transfer-right", title: "Transfer the selected items from left to right" },
      "Transfer →",
    );
    this.#toLeft = h(
      "button",
      { type: "button", id: "transfer-left", title: "Transfer the selected items from right to left" },
      "← Transfer",
    );
    this.#toRight.addEventListener("click", () => void this.#transfer(this.#left, this.#right));
    this.#toLeft.addEventListener("click", () => void this.#transfer(this.#right, this.#left));

    this.#note = h("p", { class: "transfer-note", id: "transfer-note", "aria-live": "polite" });
    this.#problem = new ProblemNotice({
      id: "transfer-problem",
      describe: options.describe,
      signInWithRedirect: options.signInWithRedirect,
    });
    this.#consent = h("section", {
      class: "notice",
      id: "transfer-consent",
      "aria-labelledby": "transfer-consent-heading",
      hidden: true,
    });

    element.append(
      this.#searchForm,
      this.#problem.element,
      this.#consent,
      h(
        "div",
        { class: "panes" },
        this.#left.element,
        h("div", { class: "transfer-actions" }, this.#toRight, this.#toLeft),
        this.#right.element,
      ),
      this.#note,
      this.#task.element,
      this.#history.element,
    );
    this.#changed();
  }

  /**
   * Signed in: the first time, fills the pickers, opens the last (or the configured) collections,
   * the task history, and submits a transfer that waited for a consent by redirect.
   */
  async show(): Promise<void> {
    if (this.#shown) return;
    this.#shown = true;
    const state = saved.load();
    const choices = await this.#findCollections();
    const [leftId, rightId] = this.#options.config.transferCollections;
    const pick = async (
      saved: SavedPane | undefined,
      id: string | undefined,
    ): Promise<SavedPane | undefined> => {
      if (saved) return saved;
      if (!id) return undefined;
      const known = choices.find((choice) => choice.id === id);
      if (known) return { collection: known, path: "/~/" };
      try {
        return { collection: choiceOf(await this.#options.transfer.getEndpoint(id)), path: "/~/" };
      } catch {
        return undefined; // a configured collection that is gone: the person picks another
      }
    };
    const [left, right] = await Promise.all([pick(state.left, leftId), pick(state.right, rightId)]);
    await Promise.all([
      left && this.#left.open(left.collection, left.path),
      right && this.#right.open(right.collection, right.path),
      this.#history.load(),
    ]);
    if (state.pending) {
      saved.save({ pending: undefined });
      await this.#submit(state.pending);
    } else if (state.task) {
      void this.#task.watch(state.task);
    }
  }

  /** Signed out: forget what was shown (the next person sees none of it). */
  hide(): void {
    if (!this.#shown) return;
    this.#shown = false;
    saved.clear();
    this.#left.clear();
    this.#right.clear();
    this.#task.clear();
    this.#history.clear();
    this.#problem.hide();
    this.#consent.hidden = true;
    this.#note.textContent = "";
    this.#changed();
  }

  async #findCollections(): Promise<CollectionChoice[]> {
    const text = this.#searchText.value.trim();
    const button = this.#searchForm.querySelector("button") as HTMLButtonElement;
    button.disabled = true;
    let choices: CollectionChoice[] = [];
    await this.#run(
      "Globus",
      async () => {
        const found = await this.#options.transfer.endpointSearch(text, { limit: 50 });
        choices = found.DATA.map(choiceOf);
        this.#left.setChoices(choices);
        this.#right.setChoices(choices);
        this.#note.textContent = `${choices.length} collection${choices.length === 1 ? "" : "s"} match “${text}”.`;
      },
      () => this.#findCollections(),
    );
    button.disabled = false;
    return choices;
  }

  /** Runs a Transfer call; words a failure, or offers the consent step a GARE asks for. */
  async #run(where: string, action: () => Promise<void>, retry: () => Promise<unknown>, spec?: TransferSpec) {
    this.#problem.hide();
    this.#consent.hidden = true; // the person moved on; a new GARE brings it back
    try {
      await action();
      return true;
    } catch (error) {
      const gare = isGlobusAPIError(error) ? toGare(error.body) : null;
      if (gare) this.#showConsent(gare, where, retry, spec);
      else this.#problem.show(error);
      return false;
    }
  }

  #changed(): void {
    const ready = (from: FileBrowser, to: FileBrowser): boolean =>
      !this.#submitting &&
      from.collection !== undefined &&
      to.collection !== undefined &&
      from.selection.length > 0;
    this.#toRight.disabled = !ready(this.#left, this.#right);
    this.#toLeft.disabled = !ready(this.#right, this.#left);
    if (this.#shown) {
      const pane = (browser: FileBrowser): SavedPane | undefined =>
        browser.collection ? { collection: browser.collection, path: browser.path } : undefined;
      saved.save({ left: pane(this.#left), right: pane(this.#right) });
    }
  }

  async #transfer(from: FileBrowser, to: FileBrowser): Promise<void> {
    const source = from.collection;
    const destination = to.collection;
    const selection = from.selection;
    if (!source || !destination || selection.length === 0) return;
    await this.#submit({
      source,
      destination,
      label: taskLabel(selection.map((entry) => entry.name)),
      items: selection.map((entry) => ({
        source: entry.path,
        destination: `${to.path}${entry.name}${entry.isDir ? "/" : ""}`,
        recursive: entry.isDir,
      })),
    });
  }

  async #submit(spec: TransferSpec): Promise<void> {
    this.#submitting = true;
    this.#changed();
    for (const button of [this.#toRight, this.#toLeft]) button.setAttribute("aria-busy", "true");
    this.#note.textContent = `Submitting the transfer from ${spec.source.name} to ${spec.destination.name}…`;
    let taskId: string | undefined;
    try {
      const ok = await this.#run(
        `${spec.source.name} or ${spec.destination.name}`,
        async () => {
          const data = new TransferData({
            sourceEndpoint: spec.source.id,
            destinationEndpoint: spec.destination.id,
            label: spec.label,
          });
          for (const item of spec.items)
            data.addItem(item.source, item.destination, { recursive: item.recursive });
          taskId = (await this.#options.transfer.submitTransfer(data)).task_id;
        },
        () => this.#submit(spec),
        spec,
      );
      this.#note.textContent = ok ? `Transfer submitted: ${spec.label}.` : "";
    } finally {
      this.#submitting = false;
      for (const button of [this.#toRight, this.#toLeft]) button.removeAttribute("aria-busy");
      this.#changed();
    }
    if (taskId) {
      saved.save({ task: taskId });
      void this.#history.load();
      void this.#task.watch(taskId);
    }
  }

  /** The task settled: the history shows its new status, and the destination what arrived. */
  async #settled(task: TaskDocument): Promise<void> {
    this.#note.textContent = `Task ${task.label ?? task.task_id}: ${task.status}.`;
    const refreshes: Promise<unknown>[] = [this.#history.load()];
    for (const pane of [this.#left, this.#right]) {
      if (pane.collection?.id === task.destination_endpoint_id) refreshes.push(pane.refresh());
    }
    await Promise.all(refreshes);
  }

  /**
   * A collection asks for more than the sign-in gave: usually a mapped collection's `data_access`
   * consent (the pre-registered ones are asked for at the first login, so this is for the others),
   * or MFA. Says why, then signs in with the GARE's parameters and retries.
   */
  #showConsent(gare: GARE, where: string, retry: () => Promise<unknown>, spec?: TransferSpec): void {
    this.#pendingRetry = { gare, retry, spec };
    const params = gare.authorization_parameters;
    if (spec) where = askingCollection(params, [spec.source, spec.destination]) ?? where;
    const needs = gareNeeds(params, where);
    const redirect = h("button", { type: "button" }, "Continue with Globus");
    const popup = h("button", { type: "button", class: "secondary" }, "Continue in a popup");
    redirect.addEventListener("click", () => {
      // The panel's state is saved already; a transfer waits in sessionStorage for the return.
      if (spec) saved.save({ pending: spec });
      this.#options.signInWithRedirect(params);
    });
    popup.addEventListener("click", () => {
      const pending = this.#pendingRetry;
      popup.disabled = true;
      // No await before the login: the popup must open within the click.
      void this.#options.signInWithPopup(params).then(async (ok) => {
        popup.disabled = false;
        if (!ok || !pending) return;
        this.#consent.hidden = true;
        this.#pendingRetry = undefined;
        await pending.retry();
      });
    });
    this.#consent.replaceChildren(
      h("h3", { id: "transfer-consent-heading" }, `${where} needs more before this portal can use it`),
      h("p", {}, params.session_message ?? "Globus asks for another sign-in."),
      h(
        "p",
        {},
        `It needs ${needs.join(", ") || "another sign-in"}. Continue, and the ${spec ? "transfer" : "last action"} is retried.`,
      ),
      h("div", { class: "actions" }, redirect, popup),
    );
    this.#consent.hidden = false;
    this.#consent.scrollIntoView({ block: "nearest" });
  }
}
