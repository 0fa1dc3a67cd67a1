import { h } from "./dom.ts";
import { pollUntilSettled } from "./run-status.ts";

/** The ids and titles of a {@link WatchedView}'s region. */
export interface WatchedViewLayout {
  /** The region's id; its heading is `<id>-heading`. */
  readonly id: string;
  /** The heading before anything is loaded, and the prefix of the loaded one (`Task: …`). */
  readonly title: string;
  /** The heading and id of the list of entries (events, log). */
  readonly listTitle: string;
  readonly listId: string;
  /** The id of the facts list. */
  readonly factsId: string;
}

/** What a watched view tells its page. */
export interface WatchedViewHandlers<T> {
  /** A failed call while watching (the panel words it). */
  readonly onError: (error: unknown) => void;
  /** The watched thing stopped running (its status is no longer `ACTIVE`). */
  readonly onSettled: (value: T) => void;
}

/**
 * Something that runs on a Globus service (a Transfer task, a flow run), shown in a region with
 * its facts and a list of entries, and polled until it settles: every second at first and every
 * 10 s at most, so that the page shows each state as it is reached and a long run costs few
 * requests. Subclasses say what to load and how to draw it.
 */
export abstract class WatchedView<T extends { status: string }, E> {
  /** The view, a labelled region; hidden until something is watched. */
  readonly element: HTMLElement;

  protected readonly heading: HTMLHeadingElement;
  protected readonly facts: HTMLDListElement;
  protected readonly list: HTMLOListElement;
  readonly #title: string;
  readonly #handlers: WatchedViewHandlers<T>;
  #watching: AbortController | undefined;

  constructor(layout: WatchedViewLayout, handlers: WatchedViewHandlers<T>) {
    this.#title = layout.title;
    this.#handlers = handlers;
    const headingId = `${layout.id}-heading`;
    this.heading = h("h3", { id: headingId }, layout.title);
    this.facts = h("dl", { class: "facts", id: layout.factsId });
    this.list = h("ol", { class: "events", id: layout.listId });
    this.element = h(
      "section",
      { class: "task-view", id: layout.id, "aria-labelledby": headingId, hidden: true },
      this.heading,
      h("div", { "aria-live": "polite" }, this.facts),
      h("h4", {}, layout.listTitle),
      this.list,
    );
  }

  /** Stops polling (another one is shown, or the person signed out). */
  stop(): void {
    this.#watching?.abort();
    this.#watching = undefined;
  }

  /** Stops and hides (sign-out). */
  clear(): void {
    this.stop();
    this.element.hidden = true;
    this.facts.replaceChildren();
    this.list.replaceChildren();
  }

  /**
   * Shows the view and polls `load` until what it loads settles (or another watch, or `stop()`,
   * replaces it), drawing each answer with {@link render}.
   */
  protected async watchWith(load: (signal: AbortSignal) => Promise<[T, readonly E[]]>): Promise<void> {
    this.stop();
    const watching = new AbortController();
    this.#watching = watching;
    this.element.hidden = false;
    this.heading.textContent = this.#title;
    this.facts.replaceChildren(h("dt", {}, "Status"), h("dd", {}, "Loading…"));
    this.list.replaceChildren();
    const { signal } = watching;
    try {
      await pollUntilSettled(
        signal,
        async () => {
          const [value, entries] = await load(signal);
          if (!signal.aborted) this.render(value, entries);
          return value;
        },
        this.#handlers,
      );
    } finally {
      if (this.#watching === watching) this.#watching = undefined;
    }
  }

  /** Draws one answer: the heading, the facts and the entries. */
  protected abstract render(value: T, entries: readonly E[]): void;
}

/** A `<dt>`/`<dd>` pair of a facts list. */
export function fact(term: string, ...value: (Node | string)[]): Node[] {
  return [h("dt", {}, term), h("dd", {}, ...value)];
}
