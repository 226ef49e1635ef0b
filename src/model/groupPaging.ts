import type { RequestStatusName } from '../cm/codes';
import type { ReceivedRequest } from '../cm/schemas';

export const PAGE_SIZE = 200;

export interface VisiblePage {
  readonly shown: readonly ReceivedRequest[];
  readonly remaining: number;
}

/**
 * Remembers how many pages of each status group the user has loaded, so a refresh (or a settings change that
 * keeps the host) shows as much as before instead of collapsing back to the first page.
 */
export class GroupPaging {
  private readonly pages = new Map<RequestStatusName, number>();

  constructor(private readonly pageSize = PAGE_SIZE) {}

  visible(status: RequestStatusName, requests: readonly ReceivedRequest[]): VisiblePage {
    const limit = (this.pages.get(status) ?? 1) * this.pageSize;
    return { shown: requests.slice(0, limit), remaining: Math.max(0, requests.length - limit) };
  }

  loadMore(status: RequestStatusName): void {
    this.pages.set(status, (this.pages.get(status) ?? 1) + 1);
  }

  reset(): void {
    this.pages.clear();
  }
}
