// Profile template names for the GUIDs requests carry. `GET profiletemplates` lists only the templates the
// caller may enroll for, so the others are asked for one by one (`GET profiletemplates/{id}`). A name that
// cannot be had leaves the GUID shown; it never fails a load.
import type { CmClient } from '../cm/client';
import { CmError, isCanceled } from '../cm/errors';
import type { CmLogger } from '../cm/logger';
import { ZERO_GUID } from '../cm/guid';
import { cleanServerText } from '../cm/serverText';
import { mapWithLimit } from './requestSnapshot';
import * as l10n from '@vscode/l10n';

/** Template names a label shows; longer ones are cut. */
const MAX_NAME = 80;
/** A CM server has tens of templates; more distinct ids than this are not asked for one by one. */
const MAX_LOOKUPS = 50;
const LOOKUPS_IN_FLIGHT = 4;

export type TemplateNames = ReadonlyMap<string, string>;

type Caller = Pick<CmClient, 'call'>;

/** The listed templates' names, or undefined when the list cannot be read (the reason is logged). */
export async function listTemplateNames(client: Caller, signal: AbortSignal, logger: CmLogger): Promise<Map<string, string> | undefined> {
  try {
    const names = new Map<string, string>();
    const body = await client.call('GET', 'profiletemplates', {}, signal);
    for (const template of Array.isArray(body) ? (body as unknown[]) : body === undefined ? [] : [body]) {
      addName(names, template);
    }
    return names;
  } catch (error) {
    logFailure(logger, l10n.t('the list of profile templates'), error);
    return undefined;
  }
}

/**
 * Completes `listed` with the templates the requests use that the list left out, asked for by id; ids that fail
 * keep the name they had before (`previous`), if any.
 */
export async function completeTemplateNames(
  client: Caller,
  listed: ReadonlyMap<string, string> | undefined,
  used: ReadonlySet<string>,
  previous: TemplateNames,
  signal: AbortSignal,
  logger: CmLogger,
): Promise<TemplateNames> {
  const names = new Map(listed ?? previous);
  const missing = [...used].filter((id) => !names.has(id)).slice(0, MAX_LOOKUPS);
  let stop = false;
  await mapWithLimit(missing, LOOKUPS_IN_FLIGHT, async (id) => {
    if (stop) {
      return;
    }
    try {
      addName(names, await client.call('GET', `profiletemplates/${id}`, {}, signal), id);
    } catch (error) {
      // A sign-in or connection failure would only repeat for every other id.
      stop = !(error instanceof CmError) || error.needsSignIn || error.kind !== 'httpStatus';
      logFailure(logger, l10n.t`profile template ${id}`, error);
    }
    if (!names.has(id) && previous.has(id)) {
      names.set(id, previous.get(id) ?? '');
    }
  });
  return names;
}

/** The distinct template ids of some requests, lower case, without the all-zero GUID. */
export function templateIdsOf(requests: Iterable<{ readonly request: { readonly ProfileTemplateUuid?: string | null } }>): Set<string> {
  // A server has tens of templates across 200k requests: each distinct text is checked once, not each record.
  const seen = new Set<unknown>();
  for (const { request } of requests) {
    seen.add(request.ProfileTemplateUuid);
  }
  return templateIdsIn(seen);
}

/** The template ids among distinct ProfileTemplateUuid values as sent, lower case, without the all-zero GUID. */
export function templateIdsIn(texts: Iterable<unknown>): Set<string> {
  const ids = new Set<string>();
  for (const value of texts) {
    const id = typeof value === 'string' ? templateKey(value) : undefined;
    if (id !== undefined) {
      ids.add(id);
    }
  }
  return ids;
}

/** How a template GUID from a record is looked up: lower case, braces dropped; undefined for none. */
export function templateKey(value: string | null | undefined): string | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const id = value.replace(/^\{|\}$/g, '').toLowerCase();
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id) && id !== ZERO_GUID ? id : undefined;
}

function addName(names: Map<string, string>, template: unknown, expectedId?: string): void {
  if (template === null || typeof template !== 'object') {
    return;
  }
  const { Uuid, Name } = template as { Uuid?: unknown; Name?: unknown };
  const id = templateKey(typeof Uuid === 'string' ? Uuid : expectedId);
  const name = typeof Name === 'string' ? cleanServerText(Name, MAX_NAME).trim() : '';
  if (id !== undefined && name !== '' && (expectedId === undefined || id === expectedId)) {
    names.set(id, name);
  }
}

function logFailure(logger: CmLogger, what: string, error: unknown): void {
  if (!isCanceled(error)) {
    logger.warn(`Could not read ${what}; GUIDs are shown instead of names: ${CmError.from(error).describe()}`);
  }
}
