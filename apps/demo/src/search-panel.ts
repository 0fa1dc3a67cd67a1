import { type GFacetResult, type GMetaResult, type SearchClient, SearchQuery } from "globus-app";
import { h } from "./dom.ts";
import type { ProblemNotice } from "./problem-notice.ts";

/** What a {@link SearchPanel} needs from the page. */
export interface SearchPanelOptions {
  /** Bound to the app with Search's `search` scope (queries only). */
  readonly search: SearchClient;
  /** The index to query; none: the panel says how to configure one. */
  readonly indexId: string | undefined;
  /** Fields to count values of (a `terms` facet each); a bucket clicked filters on its value. */
  readonly facets: readonly string[];
  /** Where a failed call is worded. */
  readonly problem: ProblemNotice;
}

/** Results a page. */
const PAGE = 10;

/** A value as the page shows it: strings as they are, lists joined, anything else as JSON. */
const show = (value: unknown): string =>
  typeof value === "string"
    ? value
    : Array.isArray(value)
      ? value.map(show).join(", ")
      : (JSON.stringify(value) ?? "");

/** The same bucket value across searches (numbers, strings, ranges). */
const key = (value: unknown): string => JSON.stringify(value) ?? "";

/**
 * A query box over one Search index (`SearchClient.postSearch` with a `SearchQuery`): the results
 * the signed-in person may see (Search filters them by each entry's `visible_to`), page by page,
 * and the count of each value of the configured fields (facets). Clicking a value narrows the
 * results to it (a `match_any` filter); clicking it again widens them.
 *
 * @example
 * ```ts
 * const panel = new SearchPanel({ search: new SearchClient({ app }), indexId, facets: ["year"], problem });
 * container.append(panel.element);
 * await panel.search();
 * ```
 */
export class SearchPanel {
  /** The panel: a card with the query form, the facets and the results. */
  readonly element: HTMLElement;

  readonly #options: SearchPanelOptions;
  readonly #form: HTMLFormElement;
  readonly #text: HTMLInputElement;
  readonly #submit: HTMLButtonElement;
  readonly #note: HTMLParagraphElement;
  readonly #facets: HTMLElement;
  readonly #results: HTMLOListElement;
  readonly #more: HTMLButtonElement;
  /** Chosen facet values, by field. */
  readonly #filters = new Map<string, unknown[]>();
  #shown = 0;
  #run = 0;

  constructor(options: SearchPanelOptions) {
    this.#options = options;
    this.#text = h("input", {
      id: "index-search-text",
      name: "q",
      type: "search",
      value: "*",
      autocomplete: "off",
    });
    this.#submit = h("button", { type: "submit" }, "Search");
    this.#form = h(
      "form",
      { class: "inline-form", id: "index-search-form", role: "search" },
      h("label", { for: "index-search-text" }, "Search the index"),
      this.#text,
      this.#submit,
    );
    this.#form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.search();
    });
    this.#note = h("p", { class: "muted", id: "index-search-note", "aria-live": "polite" });
    this.#facets = h("div", { class: "facets", id: "index-facets" });
    this.#results = h("ol", { class: "index-results", id: "index-results" });
    this.#more = h("button", { type: "button", class: "secondary small", hidden: true }, "More results");
    this.#more.addEventListener("click", () => void this.#page(false));

    const configured = options.indexId !== undefined;
    this.element = h(
      "section",
      { class: "card", id: "search-panel", "aria-labelledby": "index-search-heading" },
      h("h2", { id: "index-search-heading" }, "Search"),
      configured
        ? h(
            "p",
            { class: "muted" },
            "Entries of a Globus Search index that you may see. “*” finds them all; click a value to narrow the results to it.",
          )
        : h(
            "p",
            { class: "muted" },
            "No Search index is configured: set VITE_DEMO_SEARCH_INDEX (and VITE_DEMO_SEARCH_FACETS).",
          ),
      configured ? this.#form : null,
      options.problem.element,
      this.#note,
      h("div", { class: "search-layout" }, this.#facets, h("div", {}, this.#results, this.#more)),
    );
  }

  /** Runs the query in the box from its first page. */
  search(): Promise<void> {
    return this.#page(true);
  }

  /** Forgets the results and chosen values (sign-out). */
  clear(): void {
    this.#run++;
    this.#filters.clear();
    this.#shown = 0;
    this.#text.value = "*";
    this.#facets.replaceChildren();
    this.#results.replaceChildren();
    this.#more.hidden = true;
    this.#note.textContent = "";
    this.#submit.disabled = false;
    this.#options.problem.hide();
  }

  async #page(first: boolean): Promise<void> {
    const indexId = this.#options.indexId;
    if (indexId === undefined) return;
    const run = first ? ++this.#run : this.#run;
    const q = this.#text.value.trim() || "*";
    const offset = first ? 0 : this.#shown;
    const query = new SearchQuery(q, { limit: PAGE, offset });
    for (const field of this.#options.facets) query.addFacet(field, field);
    for (const [field, values] of this.#filters) {
      if (values.length > 0) query.addFilter(field, values, { type: "match_any" });
    }
    this.#options.problem.hide();
    const button = first ? this.#submit : this.#more;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    this.#note.textContent = `Searching for “${q}”…`;
    try {
      const result = await this.#options.search.postSearch(indexId, query);
      if (run !== this.#run) return; // a newer search (or a sign-out) replaced this one
      const items = result.gmeta.map((entry, index) => this.#result(entry, offset + index + 1));
      if (first) this.#results.replaceChildren(...items);
      else this.#results.append(...items);
      this.#shown = offset + result.gmeta.length;
      this.#more.hidden = !result.has_next_page;
      if (first) this.#renderFacets(result.facet_results ?? []);
      this.#note.textContent =
        result.total === 0
          ? `Nothing you may see matches “${q}”.`
          : `Showing ${this.#shown} of ${result.total} result${result.total === 1 ? "" : "s"} for “${q}”.`;
    } catch (error) {
      if (run !== this.#run) return;
      this.#note.textContent = "";
      this.#options.problem.show(error);
    } finally {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    }
  }

  #result(entry: GMetaResult, position: number): HTMLLIElement {
    const content = entry.entries[0]?.content ?? {};
    const title = typeof content.title === "string" && content.title ? content.title : entry.subject;
    const fields = Object.entries(content)
      .filter(([name, value]) => name !== "title" && value !== null && typeof value !== "object")
      .concat(Object.entries(content).filter(([, value]) => Array.isArray(value)))
      .slice(0, 6);
    return h(
      "li",
      { "data-subject": entry.subject, value: String(position) },
      h(
        "div",
        {},
        h("strong", {}, title),
        h("br"),
        h("code", { class: "muted" }, entry.subject),
        fields.length > 0
          ? h(
              "dl",
              { class: "entry-fields" },
              ...fields.flatMap(([name, value]) => [h("dt", {}, name), h("dd", {}, show(value))]),
            )
          : null,
      ),
    );
  }

  #renderFacets(facets: readonly GFacetResult[]): void {
    this.#facets.replaceChildren(
      ...facets.map((facet) => {
        const chosen = new Set((this.#filters.get(facet.name) ?? []).map(key));
        const buckets = facet.buckets ?? [];
        return h(
          "section",
          { class: "facet", "data-facet": facet.name, "aria-labelledby": `facet-${facet.name}` },
          h("h3", { id: `facet-${facet.name}` }, facet.name),
          buckets.length === 0
            ? h("p", { class: "muted" }, "No values.")
            : h(
                "ul",
                {},
                ...buckets.map((bucket) => {
                  const pressed = chosen.has(key(bucket.value));
                  return h(
                    "li",
                    {},
                    h(
                      "button",
                      {
                        type: "button",
                        class: "link facet-value",
                        "aria-pressed": pressed ? "true" : "false",
                        onclick: () => this.#toggle(facet.name, bucket.value),
                      },
                      // aria-pressed says it to screen readers; the tick, to everyone else.
                      pressed ? h("span", { "aria-hidden": "true" }, "✓ ") : null,
                      h("span", {}, show(bucket.value)),
                      " ",
                      h("span", { class: "count" }, `(${bucket.count})`),
                    ),
                  );
                }),
              ),
        );
      }),
    );
  }

  /** Narrows the results to a facet value, or widens them again. */
  #toggle(field: string, value: unknown): void {
    const values = this.#filters.get(field) ?? [];
    const kept = values.filter((chosen) => key(chosen) !== key(value));
    this.#filters.set(field, kept.length === values.length ? [...values, value] : kept);
    void this.search();
  }
}
