// The only calls the client can make. Some CM endpoints issue certificates, bind smart cards or return PINs and
// admin keys; an inspector must never reach them, whatever a caller passes, so anything not listed here is
// refused before a connection is opened.
import { CmError } from './errors';
import * as l10n from '@vscode/l10n';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

const GUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

interface AllowedRoute {
  readonly method: HttpMethod;
  readonly path: RegExp;
  /** Query parameters the route may carry. */
  readonly query: readonly string[];
  /** The bodies the route may carry (JSON text); none when absent. */
  readonly body?: readonly string[];
}

/** The request statuses a user may set (after a confirmation); "Completed" is the CM service's to set. */
export const SETTABLE_STATUSES = ['Canceled', 'Abandoned'] as const;
export type SettableStatus = (typeof SETTABLE_STATUSES)[number];

/** The one body the one write sends. */
export function statusBody(status: SettableStatus): string {
  return JSON.stringify({ status });
}

/** The `{type}` values of a template's workflow policy route (CM API notes, get-workflow-policy). */
const POLICY_TYPES =
  'Enroll|Duplicate|OfflineUnblock|OnlineUpdate|Renew|Recover|RecoverOnBehalf|Reinstate|Retire|Revoke|TemporaryEnroll|Unblock';

const get = (path: string, query: readonly string[] = []): AllowedRoute => ({ method: 'GET', path: new RegExp(`^${path}$`), query });

/**
 * Reading requests, and the read-only objects a request links to (its template and workflow policy, its
 * profiles and smart cards with their certificates and operations, its generation options). Nothing here issues,
 * binds or reveals a secret: the diversified key, authentication response and proposed PIN routes are absent.
 */
const ALLOWED: readonly AllowedRoute[] = [
  get('requests', ['status', 'targetuser']),
  get(`requests/${GUID}`),
  get(`requests/${GUID}/profiles`),
  get(`requests/${GUID}/certificaterequestgenerationoptions`),
  get('profiletemplates'),
  get(`profiletemplates/${GUID}`),
  get(`profiletemplates/${GUID}/policies/(?:${POLICY_TYPES})`),
  get(`profiles/${GUID}`),
  get(`profiles/${GUID}/(?:certificates|operations)`),
  get(`smartcards/${GUID}`),
  get(`smartcards/${GUID}/(?:certificates|operations)`),
  // The one write anywhere in the extension: cancel or abandon a request, after the user confirmed it.
  { method: 'PUT', path: new RegExp(`^requests/${GUID}$`), query: [], body: SETTABLE_STATUSES.map(statusBody) },
];

/**
 * Throws unless `method path?query` (path relative to the API root, e.g. "requests/{guid}") with this body is
 * allowed: a write must carry exactly one of the bodies its route lists, a read none.
 */
export function checkRoute(method: string, path: string, query: Readonly<Record<string, string>>, body?: string): void {
  const route = ALLOWED.find((candidate) => candidate.method === method && candidate.path.test(path));
  const extra = Object.keys(query).filter((key) => !(route?.query.includes(key) ?? false));
  const bodyAllowed = body === undefined ? route?.body === undefined : (route?.body?.includes(body) ?? false);
  if (route === undefined || extra.length > 0 || !bodyAllowed) {
    throw new CmError({
      kind: 'config',
      message: l10n.t`MIM CM does not call ${method.slice(0, 10)} ${path.slice(0, 120)}${extra.length > 0 ? l10n.t` with ${extra.join(', ').slice(0, 80)}` : ''}${bodyAllowed ? '' : l10n.t(' with that body')}: it only reads requests and the objects they link to, and cancels or abandons a request.`,
      hint: l10n.t('This is a defect in the caller; nothing was sent to the server.'),
      action: 'showLog',
    });
  }
}
