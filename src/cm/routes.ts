// The only calls the client can make. Some CM endpoints issue certificates, bind smart cards or return PINs and
// admin keys; an inspector must never reach them, whatever a caller passes, so anything not listed here is
// refused before a connection is opened.
import { CmError } from './errors';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

const GUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

interface AllowedRoute {
  readonly method: HttpMethod;
  readonly path: RegExp;
  /** Query parameters the route may carry. */
  readonly query: readonly string[];
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
];

/** Throws unless `method path?query` (path relative to the API root, e.g. "requests/{guid}") is allowed. */
export function checkRoute(method: string, path: string, query: Readonly<Record<string, string>>): void {
  const route = ALLOWED.find((candidate) => candidate.method === method && candidate.path.test(path));
  const extra = Object.keys(query).filter((key) => !(route?.query.includes(key) ?? false));
  if (route === undefined || extra.length > 0) {
    throw new CmError({
      kind: 'config',
      message: `MIM CM does not call ${method.slice(0, 10)} ${path.slice(0, 120)}${extra.length > 0 ? ` with ${extra.join(', ').slice(0, 80)}` : ''}: it only reads requests and the objects they link to.`,
      hint: 'This is a defect in the caller; nothing was sent to the server.',
      action: 'showLog',
    });
  }
}
