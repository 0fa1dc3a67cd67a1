/** The query document fields {@link SearchQuery} and {@link SearchScrollQuery} build. */
export interface SearchQueryDocument {
  q?: string;
  advanced?: boolean;
  limit?: number;
  offset?: number;
  filters?: Record<string, unknown>[];
  facets?: Record<string, unknown>[];
  boosts?: Record<string, unknown>[];
  sort?: Record<string, unknown>[];
  marker?: string;
  [field: string]: unknown;
}

/** Options of {@link SearchQuery.addFacet}. */
export interface FacetOptions {
  /** `terms`, `date_histogram`, `numeric_histogram`, `sum`, `avg`. @default "terms" */
  type?: string;
  /** How many buckets. @default Search's (10 for terms) */
  size?: number;
  /** For `date_histogram`: `year`, `month`, `day`, … */
  dateInterval?: string;
  /** For `numeric_histogram`: the range the buckets divide. */
  histogramRange?: { low: number; high: number };
  /** More fields of the facet document, sent as given. */
  additionalFields?: Record<string, unknown>;
}

/** The fields both query builders share: `q`, `limit`, `advanced`, filters. */
abstract class QueryBuilder {
  protected readonly document: SearchQueryDocument;

  protected constructor(
    q: string | undefined,
    options: { limit?: number; advanced?: boolean; additionalFields?: Record<string, unknown> },
  ) {
    this.document = { ...options.additionalFields };
    if (q !== undefined) this.document.q = q;
    if (options.limit !== undefined) this.document.limit = options.limit;
    if (options.advanced !== undefined) this.document.advanced = options.advanced;
  }

  #append(key: "filters" | "facets" | "boosts" | "sort", item: Record<string, unknown>): this {
    this.document[key] = [...(this.document[key] ?? []), item];
    return this;
  }

  /** Sets the query string (`q`). */
  setQuery(q: string): this {
    this.document.q = q;
    return this;
  }
  /** Sets the page size. */
  setLimit(limit: number): this {
    this.document.limit = limit;
    return this;
  }
  /** Reads `q` with Search's advanced syntax (field names, boolean operators) when `true`. */
  setAdvanced(advanced: boolean): this {
    this.document.advanced = advanced;
    return this;
  }
  /**
   * Adds a filter; `type` defaults to `match_all`, as in the Python SDK (`match_any`, `range` with
   * `{from, to}` values, … as Search defines them).
   */
  addFilter(
    fieldName: string,
    values: readonly unknown[],
    options: { type?: string; additionalFields?: Record<string, unknown> } = {},
  ): this {
    return this.#append("filters", {
      type: options.type ?? "match_all",
      field_name: fieldName,
      values: [...values],
      ...options.additionalFields,
    });
  }
  /** @internal For the subclasses' own list fields. */
  protected push(key: "facets" | "boosts" | "sort", item: Record<string, unknown>): this {
    return this.#append(key, item);
  }

  /** The query document. */
  toJSON(): SearchQueryDocument {
    return structuredClone(this.document);
  }
}

/**
 * A Search query document for {@link SearchClient.postSearch}, built as the Python SDK's
 * `SearchQuery` builds it: `q`, `limit`, `offset`, `advanced`, filters, facets, boosts and sorts.
 *
 * @example
 * ```ts
 * const query = new SearchQuery("protein", { limit: 20 })
 *   .addFilter("instrument", ["cryo-em", "beamline-7"], { type: "match_any" })
 *   .addFacet("Instruments", "instrument")
 *   .addBoost("title", 5)
 *   .addSort("year", "desc");
 * const { gmeta, facet_results } = await search.postSearch(indexId, query);
 * ```
 */
export class SearchQuery extends QueryBuilder {
  /** @param q - the query string; `options` sets `limit`, `offset`, `advanced` and other fields. */
  constructor(
    q?: string,
    options: {
      limit?: number;
      offset?: number;
      advanced?: boolean;
      additionalFields?: Record<string, unknown>;
    } = {},
  ) {
    super(q, options);
    if (options.offset !== undefined) this.document.offset = options.offset;
  }

  /** Sets where the page starts. */
  setOffset(offset: number): this {
    this.document.offset = offset;
    return this;
  }
  /** Adds a facet named `name` over `fieldName`. */
  addFacet(name: string, fieldName: string, options: FacetOptions = {}): this {
    return this.push("facets", {
      name,
      field_name: fieldName,
      type: options.type ?? "terms",
      ...(options.size === undefined ? {} : { size: options.size }),
      ...(options.dateInterval === undefined ? {} : { date_interval: options.dateInterval }),
      ...(options.histogramRange === undefined ? {} : { histogram_range: { ...options.histogramRange } }),
      ...options.additionalFields,
    });
  }
  /** Weighs matches in `fieldName` by `factor` (0–10). */
  addBoost(fieldName: string, factor: number, additionalFields: Record<string, unknown> = {}): this {
    return this.push("boosts", { field_name: fieldName, factor, ...additionalFields });
  }
  /** Orders results by `fieldName` (`asc` unless `order` says `desc`). */
  addSort(fieldName: string, order?: "asc" | "desc", additionalFields: Record<string, unknown> = {}): this {
    return this.push("sort", {
      field_name: fieldName,
      ...(order === undefined ? {} : { order }),
      ...additionalFields,
    });
  }
}

/**
 * A scroll document for {@link SearchClient.scroll}, as the Python SDK's `SearchScrollQuery`:
 * `q`, `limit`, `advanced`, filters and the `marker` of the page to get.
 *
 * @example
 * ```ts
 * for await (const result of search.paginated.scroll(indexId, new SearchScrollQuery("*")).items()) {
 *   console.log(result.subject);
 * }
 * ```
 */
export class SearchScrollQuery extends QueryBuilder {
  /** @param q - the query string; `options` sets `limit`, `advanced`, `marker` and other fields. */
  constructor(
    q?: string,
    options: {
      limit?: number;
      advanced?: boolean;
      marker?: string;
      additionalFields?: Record<string, unknown>;
    } = {},
  ) {
    super(q, options);
    if (options.marker !== undefined) this.document.marker = options.marker;
  }

  /** Sets the marker of the page to get (the previous page's `marker`). */
  setMarker(marker: string): this {
    this.document.marker = marker;
    return this;
  }
}
