// Every command id and context key the extension uses, in one place; a unit test checks them against
// package.json, so a renamed command cannot leave a menu entry pointing nowhere.
export const COMMANDS = {
  refresh: 'mimcm.refresh',
  openRequest: 'mimcm.openRequest',
  copyRequestId: 'mimcm.copyRequestId',
  openSettings: 'mimcm.openSettings',
  signIn: 'mimcm.signIn',
  signOut: 'mimcm.signOut',
  signInToProxy: 'mimcm.signInToProxy',
  enterClientCertificatePassphrase: 'mimcm.enterClientCertificatePassphrase',
  showLog: 'mimcm.showLog',
  loadMore: 'mimcm.loadMore',
  filter: 'mimcm.filter',
  clearFilter: 'mimcm.clearFilter',
  filterByTargetUser: 'mimcm.filterByTargetUser',
  showRequestsForUser: 'mimcm.showRequestsForUser',
  whyPending: 'mimcm.whyPending',
  showRelatedObjects: 'mimcm.showRelatedObjects',
  showRelatedRequests: 'mimcm.showRelatedRequests',
  groupBy: 'mimcm.groupBy',
  sortBy: 'mimcm.sortBy',
  cancelRequest: 'mimcm.cancelRequest',
  abandonRequest: 'mimcm.abandonRequest',
  watchRequest: 'mimcm.watchRequest',
  stopWatching: 'mimcm.stopWatching',
  exportRequests: 'mimcm.exportRequests',
  compareRequests: 'mimcm.compareRequests',
  selectForCompare: 'mimcm.selectForCompare',
  compareWithSelected: 'mimcm.compareWithSelected',
  openDashboard: 'mimcm.openDashboard',
  showStatusMenu: 'mimcm.showStatusMenu',
} as const;

export const CONTEXT_KEYS = {
  /** A server is configured (mimcm.host or mimcm.servers); otherwise the welcome view shows. */
  hostConfigured: 'mimcm.hostConfigured',
  /** A filter is set on the requests. */
  filtered: 'mimcm.filtered',
  /** Some server has a kept sign-in (Basic, NTLM, bearer): Sign Out applies. */
  signedIn: 'mimcm.signedIn',
  /** A request was picked with "Select for Compare". */
  compareSelected: 'mimcm.compareSelected',
} as const;

export const REQUESTS_VIEW_ID = 'mimcm.requests';
