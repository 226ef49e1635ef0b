// What the dashboard webview and the extension say to each other. The webview is another process that renders
// server data, so the extension checks every message it gets (readDashboardMessage) and acts only on known ones.
import type { DashboardFigures } from './dashboardFigures';
import { DASHBOARD_RANGES, type DashboardRange } from './dashboardScales';

/** Kept by the webview (setState) and handed back by the serializer after a reload. */
export interface DashboardState {
  readonly serverId: string;
  readonly range: DashboardRange;
}

/** Extension → webview. */
export type ToDashboard =
  | {
      readonly kind: 'figures';
      readonly serverId: string;
      readonly server: string;
      readonly hostLabel: string;
      readonly range: DashboardRange;
      readonly now: number;
      /** When the figures' requests were loaded, written as the tree writes it. */
      readonly loadedAt: string;
      readonly statuses: readonly string[];
      /** The filter the figures follow, when one is set. */
      readonly filter?: string;
      /** Why the last refresh failed, while the figures are from an earlier load. */
      readonly stale?: string;
      /** A refresh is running; new figures follow. */
      readonly loading: boolean;
      readonly figures: DashboardFigures;
    }
  | {
      readonly kind: 'empty';
      readonly serverId: string;
      readonly server: string;
      readonly message: string;
      readonly loading: boolean;
    };

/** Webview → extension. */
export type FromDashboard =
  | { readonly kind: 'ready' }
  | { readonly kind: 'range'; readonly range: DashboardRange }
  | { readonly kind: 'filter'; readonly status: string; readonly type: string; readonly template: string }
  | { readonly kind: 'clearFilter' }
  | { readonly kind: 'openRequest'; readonly id: string }
  | { readonly kind: 'exportPivot' }
  | { readonly kind: 'refresh' };

const SHORT = 200;

/** A message from the webview, or undefined for anything the extension does not expect. */
export function readDashboardMessage(message: unknown): FromDashboard | undefined {
  if (typeof message !== 'object' || message === null) {
    return undefined;
  }
  const fields = message as Record<string, unknown>;
  const text = (key: string): string | undefined => {
    const value = fields[key];
    return typeof value === 'string' && value.length <= SHORT ? value : undefined;
  };
  switch (fields.kind) {
    case 'ready':
    case 'clearFilter':
    case 'exportPivot':
    case 'refresh':
      return { kind: fields.kind };
    case 'range': {
      const range = DASHBOARD_RANGES.find((candidate) => candidate === fields.range);
      return range === undefined ? undefined : { kind: 'range', range };
    }
    case 'filter': {
      const [status, type, template] = [text('status'), text('type'), text('template')];
      return status === undefined || type === undefined || template === undefined ? undefined : { kind: 'filter', status, type, template };
    }
    case 'openRequest': {
      const id = text('id');
      return id === undefined ? undefined : { kind: 'openRequest', id };
    }
    default:
      return undefined;
  }
}

/** The serializer's state, or undefined when it is not one this version wrote. */
export function readDashboardState(state: unknown): DashboardState | undefined {
  if (typeof state !== 'object' || state === null) {
    return undefined;
  }
  const { serverId, range } = state as Record<string, unknown>;
  const knownRange = DASHBOARD_RANGES.find((candidate) => candidate === range);
  return typeof serverId === 'string' && serverId.length <= SHORT ? { serverId, range: knownRange ?? 30 } : undefined;
}
