// The people and groups behind the simulator's GUIDs and SIDs, as Active Directory would hold them in the domain
// CONTOSO (contoso.test). The simulator's requests, profiles, smart cards and policies reference them; its own
// directory stand-in serves them to the demo, and the Samba lab creates them with these very objectGUIDs and
// objectSids, so names resolve against a real AD too.

export const DOMAIN_SID = 'S-1-5-21-2127521184-1604012920-1887927527';
export const NETBIOS_DOMAIN = 'CONTOSO';
export const DNS_DOMAIN = 'contoso.test';

export interface DirectoryPerson {
  readonly kind: 'user' | 'group';
  readonly guid: string;
  readonly sid: string;
  readonly sam: string;
  readonly displayName: string;
  readonly given?: string;
  readonly surname?: string;
}

const user = (guid: string, rid: number, sam: string, given: string, surname: string): DirectoryPerson => ({
  kind: 'user',
  guid,
  sid: `${DOMAIN_SID}-${rid}`,
  sam,
  displayName: `${given} ${surname}`,
  given,
  surname,
});

const group = (guid: string, rid: number, name: string): DirectoryPerson => ({
  kind: 'group',
  guid,
  sid: `${DOMAIN_SID}-${rid}`,
  sam: name,
  displayName: name,
});

/** The docs' own user: `targetuser=current`; the owner in the documented security descriptor. */
export const JANE = user('8f1590dc-d932-4b66-8e68-2e91c5880780', 14134865, 'jdoe', 'Jane', 'Doe');
export const ALICE = user('0378a33b-8650-4713-a727-efd233903643', 1601, 'alice', 'Alice', 'Smith');
export const BOB = user('c2a1e0f4-3b1d-4d8e-9a6f-1e2d3c4b5a69', 1602, 'bob', 'Bob', 'Jones');
/** Requests for her may be read but not changed (PUT answers 403). */
export const CAROL = user('5e8f9a0b-1c2d-4e3f-8a9b-0c1d2e3f4a5b', 1603, 'carol', 'Carol', 'White');
/** Submits requests on behalf of others. */
export const HELPDESK = user('d4c3b2a1-0f9e-4d8c-b7a6-958473625140', 1604, 'helpdesk', 'Help', 'Desk');

export const CM_APPROVERS = group('6a1f0e2d-3c4b-4a59-8e7d-1f2a3b4c5d6e', 5094533, 'CM Approvers');
export const PKI_ADMINS = group('7b2e1f3a-4d5c-4b6a-9f8e-2a3b4c5d6e7f', 5094534, 'PKI Admins');
export const CM_ENROLLMENT_AGENTS = group('8c3f2a4b-5e6d-4c7b-a09f-3b4c5d6e7f80', 5219125, 'CM Enrollment Agents');
export const CM_AUDITORS = group('9d4a3b5c-6f7e-4d8c-b1a0-4c5d6e7f8091', 14995557, 'CM Auditors');

export const PEOPLE: readonly DirectoryPerson[] = [
  JANE,
  ALICE,
  BOB,
  CAROL,
  HELPDESK,
  CM_APPROVERS,
  PKI_ADMINS,
  CM_ENROLLMENT_AGENTS,
  CM_AUDITORS,
];
