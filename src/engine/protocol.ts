// What the extension host and a server's engine (in its worker thread) say to each other. Plain data only:
// structured clone carries no classes, so errors travel as their details.
import type { ProxyCredential, StoredCredential } from '../auth/storedCredentials';
import type { RequestStatusName } from '../cm/codes';
import type { CmErrorDetails } from '../cm/errors';
import type { OAuthEndpoints, OAuthSecrets, TokenAnswer } from '../cm/oauthClient';
import type { SettableStatus } from '../cm/routes';
import type { ConnectionSettings } from '../settings/settings';
import type { LinkedAddress } from '../model/linkedDocuments';
import type { ExportFormat } from '../model/requestExport';
import type { DashboardFigures } from '../model/dashboardFigures';
import type { DashboardRange } from '../model/dashboardScales';
import type { GroupBy, SortOrder } from '../model/viewOrder';
import type { DirectorySettings } from '../directory/directoryAddress';
import type { DirectoryEntry, Lookup } from '../directory/directoryEntry';
import type { DirectoryState } from '../directory/directoryNames';
import type { ConnectionChange } from './connection';

export type ErrorDetails = Omit<CmErrorDetails, 'cause'>;

/** Everything an engine needs to reach its server; the host reads the secrets from SecretStorage. */
export interface EngineConfig {
  readonly connection: ConnectionSettings;
  readonly secrets: { readonly credential?: StoredCredential; readonly proxy?: ProxyCredential; readonly passphrase?: string };
  readonly userAgent: string;
  /** VS Code's display language, for dates. */
  readonly locale: string;
  /** Set when a stored secret changed, so the client is rebuilt even with the same settings. */
  readonly rereadSecrets: boolean;
  /** Where names come from (mimcm.directory.url); undefined: no names. */
  readonly directory?: DirectorySettings;
}

export interface ConnectionInfo {
  readonly kind: 'unset' | 'invalid' | 'ready';
  readonly change: ConnectionChange;
  readonly error?: ErrorDetails;
  readonly origin?: string;
  readonly proxyUrl?: string;
  /** The server as users name it, e.g. "cm.contoso.com". */
  readonly hostLabel: string;
  /** Epoch ms of a bearer token's expiry, when known. */
  readonly tokenExpiry?: number;
}

/** How the tree groups and orders requests. */
export interface EngineViewSettings {
  readonly groupBy: GroupBy;
  readonly sortOrder: SortOrder;
}

export interface GroupSummary {
  /** Stable while the grouping stays: the status name when grouping by status. */
  readonly key: string;
  readonly label: string;
  /** Set when the group is a status (grouping by status, or a status that failed to load). */
  readonly status?: RequestStatusName;
  /** Requests in the group, readable or not. */
  readonly count: number;
  /** With a filter set: how many match. */
  readonly matching?: number;
  /** Set when only this status failed to load. */
  readonly error?: ErrorDetails;
  readonly invalidCount: number;
  /** The first few unreadable records, explained and cleaned. */
  readonly invalidSample: readonly string[];
}

export interface LoadSummary {
  readonly groups: readonly GroupSummary[];
  readonly groupBy: GroupBy;
  /** Requests per loaded status, whatever the grouping (the badge counts Pending). */
  readonly statusCounts: Partial<Record<RequestStatusName, number>>;
  /** When not grouping by status: the unreadable records of every status, counted once. */
  readonly invalid?: { readonly invalidCount: number; readonly invalidSample: readonly string[] };
  readonly loadedAt: number;
  /** Profile template names by lower-case GUID (a server has tens). */
  readonly templates: readonly (readonly [string, string])[];
}

export type LoadOutcome =
  | { readonly kind: 'loaded'; readonly summary: LoadSummary; readonly total: number }
  | {
      readonly kind: 'failed';
      readonly error: ErrorDetails;
      /** The server rejected the credentials and nothing will send them again until a user action. */
      readonly credentialsRejected: boolean;
    }
  | { readonly kind: 'canceled' };

/** One tree row: what the host needs to draw a request without holding the record. */
export interface RequestRow {
  readonly id: string;
  /** The status group it was loaded with (its own status, whatever the grouping). */
  readonly status: RequestStatusName;
  readonly label: string;
  /** Epoch ms; the host turns it into an age that stays current without asking again. */
  readonly submitted?: number;
  readonly smartcard: boolean;
  readonly targetUserId?: string;
  /** The target user's name, once the directory said (display name, else account). */
  readonly targetName?: string;
  /** Set when the record could not be turned into a row; the host shows an explained row instead. */
  readonly broken?: string;
}

export interface Page {
  readonly rows: readonly RequestRow[];
  readonly remaining: number;
}

/** Each operation's argument and answer. */
export interface EngineOps {
  configure: [EngineConfig, ConnectionInfo];
  load: [{ readonly statuses: readonly RequestStatusName[] }, LoadOutcome];
  filter: [{ readonly text: string }, LoadSummary | undefined];
  view: [EngineViewSettings, LoadSummary | undefined];
  page: [{ readonly group: string; readonly limit: number }, Page];
  details: [{ readonly requestId: string; readonly group: string }, readonly (readonly [string, string])[] | undefined];
  fetch: [{ readonly requestId: string }, string | undefined];
  document: [LinkedAddress, string | undefined];
  whyPending: [{ readonly requestId: string }, string | undefined];
  relatedFilter: [{ readonly requestId: string }, string | undefined];
  dashboard: [{ readonly range: DashboardRange; readonly now: number }, DashboardFigures | undefined];
  exportChunk: [
    { readonly format: ExportFormat; readonly from: number; readonly limit: number },
    { readonly text: string; readonly rows: number; readonly total: number },
  ];
  pollRow: [{ readonly requestId: string }, RequestRow | undefined];
  setStatus: [{ readonly requestId: string; readonly status: SettableStatus }, string | undefined];
  userAction: [Record<string, never>, boolean];
  /** ADFS sign-in: the issuer's endpoints, reached with this connection's CA, certificate and proxy. */
  adfsEndpoints: [{ readonly connection: ConnectionSettings; readonly secrets: OAuthSecrets }, OAuthEndpoints];
  /** ADFS sign-in and renewal: a token request (authorization code or refresh token). */
  adfsToken: [
    { readonly connection: ConnectionSettings; readonly secrets: OAuthSecrets; readonly form: Readonly<Record<string, string>> },
    TokenAnswer,
  ];
  /** What the directory says of these GUIDs and SIDs (those known); the others are looked up, and told by an event. */
  names: [{ readonly keys: readonly string[] }, Readonly<Record<string, Lookup>>];
  /** People matching typed text (name, account, UPN), asked of the directory now. */
  findPeople: [{ readonly text: string }, readonly { readonly guid: string; readonly entry: DirectoryEntry }[]];
  /** The summary as it stands (group labels renamed as names arrive); undefined before a load. */
  summary: [Record<string, never>, LoadSummary | undefined];
  /** Resolves once the filter texts of the last load are built (for `npm run bench`). */
  indexed: [Record<string, never>, boolean];
  /** The worker's heap in use, after a collection when the process allows one (`npm run bench`). */
  heap: [Record<string, never>, number];
}

export type EngineOp = keyof EngineOps;

export interface EngineRequestMessage<K extends EngineOp = EngineOp> {
  readonly id: number;
  readonly op: K;
  readonly arg: EngineOps[K][0];
}

export type EngineReplyMessage =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: ErrorDetails };

/** What the engine tells the host unasked: the directory's state, and that names arrived (state unchanged). */
export interface EngineEventMessage {
  readonly event: 'directory';
  readonly state: DirectoryState;
}

export interface EngineLogMessage {
  readonly log: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
}
