// The groupings and orders the Requests view offers (mimcm.groupBy, mimcm.sortOrder): plain values, so the
// settings reader and the view's commands can name them without loading the engine's code.
export const GROUP_BY = ['status', 'type', 'template', 'targetUser', 'originator'] as const;
export type GroupBy = (typeof GROUP_BY)[number];
export const SORT_ORDERS = ['newestFirst', 'oldestFirst', 'priority'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];
