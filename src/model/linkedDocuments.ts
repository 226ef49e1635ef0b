// The read-only documents for what a request links to: a profile or smart card with its certificates and
// operations, a profile template with the workflow policy for a request type, and a request's own profiles and
// generation options. Each is one JSON object with a section per GET, so one failing part (a 403 on
// certificates, say) is explained in its place and the rest still shows.
import type { CmClient } from '../cm/client';
import { CmError, isCanceled } from '../cm/errors';
import { prettyJson } from './requestJson';
import * as l10n from '@vscode/l10n';

export type LinkedKind = 'profile' | 'smartcard' | 'template' | 'objects';

export interface LinkedAddress {
  readonly kind: LinkedKind;
  /** Lower-case GUID of the object (for 'objects': of the request). */
  readonly id: string;
  /** For 'template': the workflow policy to show alongside (e.g. "Enroll"). */
  readonly policyType?: string;
}

/** Says a section could not be read, in the document itself. */
export const unavailableText = () => l10n.t('(not available)');

interface Section {
  readonly name: string;
  readonly path: string;
}

function sectionsOf({ kind, id, policyType }: LinkedAddress): Section[] {
  switch (kind) {
    case 'profile':
      return [
        { name: 'Profile', path: `profiles/${id}` },
        { name: 'Certificates', path: `profiles/${id}/certificates` },
        { name: 'Operations', path: `profiles/${id}/operations` },
      ];
    case 'smartcard':
      return [
        { name: 'Smartcard', path: `smartcards/${id}` },
        { name: 'Certificates', path: `smartcards/${id}/certificates` },
        { name: 'Operations', path: `smartcards/${id}/operations` },
      ];
    case 'template':
      // Not user text: CM's own object names.
      return [
        { name: 'ProfileTemplate', path: `profiletemplates/${id}` },
        ...(policyType === undefined
          ? []
          : [{ name: `WorkflowPolicy (${policyType})`, path: `profiletemplates/${id}/policies/${policyType}` }]),
      ];
    case 'objects':
      return [
        { name: 'Profiles', path: `requests/${id}/profiles` },
        { name: 'CertificateRequestGenerationOptions', path: `requests/${id}/certificaterequestgenerationoptions` },
      ];
  }
}

/**
 * The document's JSON text, or undefined when the server has none of it (every section answered "nothing").
 * A sign-in or connection failure fails the whole document (every section would repeat it); a failure of one
 * section is written where its data would be.
 */
export async function linkedDocument(
  client: Pick<CmClient, 'call'>,
  address: LinkedAddress,
  signal: AbortSignal,
): Promise<string | undefined> {
  const sections = sectionsOf(address);
  const values: unknown[] = [];
  let found = 0;
  for (const section of sections) {
    try {
      const value = await client.call('GET', section.path, {}, signal);
      found += value === undefined ? 0 : 1;
      values.push(value ?? null);
    } catch (error) {
      const failure = CmError.from(error);
      if (isCanceled(failure) || failure.needsSignIn || failure.kind !== 'httpStatus') {
        throw failure;
      }
      values.push({ [unavailableText()]: `${failure.status === undefined ? '' : l10n.t`HTTP ${failure.status}: `}${failure.message}` });
    }
  }
  if (found === 0 && values.every((value) => value === null)) {
    return undefined;
  }
  const document: Record<string, unknown> = {};
  sections.forEach((section, index) => {
    document[section.name] = values[index];
  });
  // The same writer as a request's JSON: bounded depth whatever the server sent.
  return prettyJson(document);
}
