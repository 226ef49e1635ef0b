// What a CM request links to, served consistently with the simulator's requests: profile templates (names and
// workflow policies), profiles, smart cards, their certificates and operations, and generation options. Bodies
// the docs publish are kept verbatim; shapes the docs leave out (a template by id, a policy) are our best
// reading of the field lists in the CM API notes.
import type { SimulatedRequest } from './data';
import { CM_APPROVERS, CM_ENROLLMENT_AGENTS, PKI_ADMINS } from './people';

const ZERO = '00000000-0000-0000-0000-000000000000';

/** get-profile-templates, verbatim: the list names only the templates the caller may enroll for. */
const LISTED_TEMPLATES: readonly Record<string, unknown>[] = [
  {
    Name: 'FIM CM Sample Profile Template',
    Description: 'Description of the template goes here',
    Uuid: '12bd5120-86a2-4ee1-8d05-131066871578',
    IsSmartcardProfileTemplate: false,
    IsVirtualSmartcardProfileTemplate: false,
  },
  {
    Name: 'FIM CM Sample Smart Card Logon Profile Template',
    Description: 'Description of the template goes here',
    Uuid: '2b7044cf-aa96-4911-b886-177947e9271b',
    IsSmartcardProfileTemplate: true,
    IsVirtualSmartcardProfileTemplate: false,
  },
];

/** The template of the documented requests: not in the list (the caller may not enroll for it), found by id. */
const UNLISTED_TEMPLATE: Record<string, unknown> = {
  Name: 'Contoso Virtual Smart Card',
  Description: 'Virtual smart card for remote staff',
  Uuid: 'a039b4d0-5ce8-4eff-8651-181c6576fda3',
  IsSmartcardProfileTemplate: true,
  IsVirtualSmartcardProfileTemplate: true,
};

/** get-certificate-request-generation-options, verbatim. */
const GENERATION_OPTIONS: readonly Record<string, unknown>[] = [
  {
    Subject: '',
    KeyAlgorithmName: 'RSA',
    KeySize: 2048,
    FriendlyName: '',
    HashAlgorithmName: 'SHA1',
    KeyStorageProviderNames: ['Contoso Smart Card Key Storage Provider'],
    Exportable: 0,
    KeyProtectionLevel: 0,
    KeyUsages: 3,
  },
];

/** Approvals each template's policies need, so "Why is this pending?" has different answers to give. */
const APPROVALS: Readonly<Record<string, number>> = {
  '12bd5120-86a2-4ee1-8d05-131066871578': 0,
  '2b7044cf-aa96-4911-b886-177947e9271b': 1,
  'a039b4d0-5ce8-4eff-8651-181c6576fda3': 2,
};

export const POLICY_TYPES = [
  'Enroll',
  'Duplicate',
  'OfflineUnblock',
  'OnlineUpdate',
  'Renew',
  'Recover',
  'RecoverOnBehalf',
  'Reinstate',
  'Retire',
  'Revoke',
  'TemporaryEnroll',
  'Unblock',
] as const;

export class LinkedObjects {
  private readonly byProfile = new Map<string, SimulatedRequest>();
  private readonly byCard = new Map<string, SimulatedRequest>();

  constructor(requests: Iterable<SimulatedRequest>) {
    for (const request of requests) {
      this.add(request);
    }
  }

  add(request: SimulatedRequest): void {
    for (const key of ['NewProfileUuid', 'OldProfileUuid'] as const) {
      const id = linkedId(request[key]);
      if (id !== undefined) {
        this.byProfile.set(id, request);
      }
    }
    for (const key of ['NewSmartcardUuid', 'OldSmartcardUuid'] as const) {
      const id = linkedId(request[key]);
      if (id !== undefined) {
        this.byCard.set(id, request);
      }
    }
  }

  templates(): readonly Record<string, unknown>[] {
    return LISTED_TEMPLATES;
  }

  template(id: string): Record<string, unknown> | undefined {
    return [...LISTED_TEMPLATES, UNLISTED_TEMPLATE].find((template) => template.Uuid === id);
  }

  /** A workflow policy as the field list in the CM API notes names it; undefined for a template that has none. */
  policy(templateId: string, type: string): Record<string, unknown> | undefined {
    const approvals = APPROVALS[templateId];
    const policyType = POLICY_TYPES.find((candidate) => candidate.toLowerCase() === type.toLowerCase());
    if (approvals === undefined || policyType === undefined) {
      return undefined;
    }
    const needed = policyType === 'Enroll' || policyType === 'Recover' || policyType === 'Duplicate' ? approvals : 0;
    return {
      PolicyType: policyType,
      Enabled: true,
      ApprovalsNeeded: needed,
      AuthorizedApprover: needed === 0 ? [] : [CM_APPROVERS.sid, PKI_ADMINS.sid],
      AuthorizedEnrollmentAgent: [CM_ENROLLMENT_AGENTS.sid],
      AuthorizedInitiator: ['CONTOSO\\Domain Users'],
      EnrollAgentRequired: templateId === '2b7044cf-aa96-4911-b886-177947e9271b' && policyType === 'Enroll',
      SelfServiceEnabled: true,
      CollectComments: true,
      CollectRequestPriority: false,
      DefaultRequestPriority: 0,
      OneTimePasswordPolicy: needed === 0 ? 'None' : 'Distribute one-time password by e-mail and SMS',
      PolicyDataCollection: [{ Name: 'Request Reason', Required: true }],
      Documents: [],
      Personalization: null,
    };
  }

  profile(id: string): Record<string, unknown> | undefined {
    const request = this.byProfile.get(id);
    if (request === undefined) {
      return undefined;
    }
    return {
      Uuid: id,
      Status: 2,
      Flags: 1,
      ParentProfileUuid: ZERO,
      PrimaryProfileUuid: ZERO,
      AssignedUserUuid: request.TargetUserUuid,
      ProfileTemplateUuid: request.ProfileTemplateUuid,
      ProfileTemplateVersion: 8,
      Comment: '',
      ProfileOperations: ['renew', 'disable', 'recover'],
    };
  }

  smartcard(id: string): Record<string, unknown> | undefined {
    const request = this.byCard.get(id);
    if (request === undefined) {
      return undefined;
    }
    const bound = request.Status === 8;
    return {
      Uuid: id,
      Status: bound ? 3 : 2,
      Flags: 1,
      ParentSmartcardUuid: ZERO,
      PrimarySmartcardUuid: ZERO,
      PermanentSmartcardUuid: ZERO,
      AssignedUserUuid: request.TargetUserUuid,
      ProfileTemplateUuid: request.ProfileTemplateUuid,
      ProfileTemplateVersion: 46,
      Comment: '',
      SerialNumber: `{${id.split('').reverse().join('')}}`,
      Middleware: 'MSBaseCSP',
      Atr: '3b8d0180fba000000397425446590301c8',
    };
  }

  /** Certificates of a profile or card, derived from its id so the same object always lists the same ones. */
  certificates(id: string): Record<string, unknown>[] {
    const hex = id.replace(/-/g, '').toUpperCase();
    return [0, 1].map((index) => ({
      IsKeyHistory: false,
      ArchivedOnCa: index === 1,
      CertificateType: 1,
      TemplateCommonName: index === 0 ? 'ContosoVirtualSmartCardLimitedRelease-KSP' : 'ContosoEncryption',
      SerialNumber: `1B0000${hex.slice(index * 8, index * 8 + 24)}`,
      Thumbprint: `${hex}${hex}`.slice(index * 4, index * 4 + 40),
    }));
  }

  operations(kind: 'profiles' | 'smartcards'): string[] {
    return kind === 'smartcards' ? ['renew', 'unblock', 'retire'] : ['renew', 'disable', 'recover'];
  }

  /** requests/{id}/profiles: the profiles a request made or changed. */
  profilesOf(request: SimulatedRequest): Record<string, unknown>[] {
    return ['NewProfileUuid', 'OldProfileUuid']
      .map((key) => linkedId(request[key]))
      .flatMap((id) => (id === undefined ? [] : [this.profile(id)]))
      .filter((profile): profile is Record<string, unknown> => profile !== undefined);
  }

  generationOptions(): readonly Record<string, unknown>[] {
    return GENERATION_OPTIONS;
  }
}

function linkedId(value: unknown): string | undefined {
  return typeof value === 'string' && value !== ZERO && value !== '' ? value.toLowerCase() : undefined;
}
