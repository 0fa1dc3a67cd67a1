/**
 * Globus Search: {@link SearchClient}, the {@link SearchQuery} and {@link SearchScrollQuery}
 * builders, {@link SearchAPIError}, and the documents Search takes and answers with.
 *
 * @packageDocumentation
 */
export { isSearchAPIError, SearchAPIError } from "./search-api-error.ts";
export {
  type EntryParams,
  type PostSearchParams,
  type ScrollParams,
  type SearchCallOptions,
  SearchClient,
  type SearchPaginatedCalls,
  type SearchParams,
  type SearchQueryInput,
} from "./search-client.ts";
export type {
  EntryDeleteResult,
  GBucket,
  GFacetResult,
  GIngest,
  GMetaEntry,
  GMetaResult,
  GMetaResultEntry,
  GScrollResult,
  GSearchResult,
  IndexAcknowledgement,
  IngestResult,
  SearchIndexDocument,
  SearchIndexListDocument,
  SearchRoleDeleteResult,
  SearchRoleDocument,
  SearchRoleListDocument,
  SearchTaskDocument,
  SearchTaskListDocument,
  SearchTaskState,
  TaskSubmitResult,
} from "./search-documents.ts";
export {
  type FacetOptions,
  SearchQuery,
  type SearchQueryDocument,
  SearchScrollQuery,
} from "./search-query.ts";
