// The fields a filter term can name (`status:pending type:enroll template:none`). No imports: the dashboard's
// pivot writes such filters on the extension host, whose bundle stays free of the engine's code.

/** Fields a filter term can name (`status:pending`), matched exactly rather than as text anywhere. */
export const FILTER_FIELDS = ['status', 'type', 'template'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];
/** A request's value of each field, as `fieldTerm` writes it. */
export type FieldReader = (field: FilterField) => string;

export interface FieldTerm {
  readonly field: FilterField;
  readonly value: string;
}

/**
 * Fields that name a person (`user:alice`, `originator:helpdesk`): the target user or the originator, matched by
 * the first digits of their GUID or by any of their names the directory gave.
 */
export const PERSON_FIELDS = ['user', 'originator'] as const;
export type PersonField = (typeof PERSON_FIELDS)[number];

export interface PersonTerm {
  readonly person: PersonField;
  /** Lower case, as typed. */
  readonly value: string;
}

/** The filter "Show Requests for User" sets: the person as target user or as originator. */
export function personFilterText(guid: string): string {
  // Not user text: filter syntax, the same in every language.
  return `user:${guid} OR originator:${guid}`;
}

/**
 * A field's value as a filter term compares it: lower case, letters, digits and hyphens only, so a term never
 * holds a space (`Unknown (12)` → `unknown12`); a request with no template has the template `none`.
 */
export function fieldTerm(value: string): string {
  const term = value.toLowerCase().replace(/[^a-z0-9-]+/g, '');
  return term === '' ? 'none' : term;
}

/** The filter that shows exactly one cell of the dashboard's pivot (a template key of '' means none). */
export function pivotFilterText(status: string, type: string, template: string): string {
  // Not user text: filter syntax, the same in every language.
  return `status:${fieldTerm(status)} type:${fieldTerm(type)} template:${fieldTerm(template)}`;
}
