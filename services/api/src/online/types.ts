/**
 * Online recommendations from the SSM's recurrent state (docs/adr/0021-online-state.md).
 * The service (./service.ts) keeps each (model, user)'s recurrent state in Redis; a new event is
 * one step of the model from that state (native kernel), then a top-K over all items.
 */

/** One ranked item of an online answer. */
export interface OnlineItem {
  /** The item's external id (as uploaded in the dataset). */
  item: string;
  score: number;
}

/** What both online routes answer. */
export interface OnlineRecommendations {
  modelId: string;
  user: string;
  /** Events in the user's state (history primed from the dataset plus events posted since). */
  events: number;
  /** The state's version: 0 for a user with no state; +1 per applied POST. Concurrent POSTs for one user get distinct versions in the order they were applied. */
  version: number;
  /** Best first; empty for a user with no events. */
  items: OnlineItem[];
}

export interface OnlineQuery {
  /** 1..1000, default 10. */
  k: number;
  /** Leave out items already in the user's history (default true). */
  excludeSeen: boolean;
}

/**
 * The contract the routes use. Errors are AppErrors:
 * - KILN_ERR_NOT_FOUND (404): no such model;
 * - KILN_ERR_ITEM_UNKNOWN (400): an item id the model's dataset does not have
 *   (`details.field` = 'items[i]', `details.unknown` = the ids);
 * - KILN_ERR_UNAVAILABLE (503): Redis or Postgres down.
 */
export interface OnlineApi {
  /** Applies `items` (in order, 1..1000 external item ids) to the user's state atomically and answers the new top-K. */
  postEvents(modelId: string, user: string, items: readonly string[], query: OnlineQuery): Promise<OnlineRecommendations>;
  /** The current top-K from the stored state (no state → events 0, items []). */
  recommendations(modelId: string, user: string, query: OnlineQuery): Promise<OnlineRecommendations>;
  /** Forgets every stored state of a model (called when the model is deleted). */
  dropModel(modelId: string): Promise<void>;
}
