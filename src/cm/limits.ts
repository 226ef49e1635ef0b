/** mimcm.maxResponseMegabytes: the default and the range a setting is clamped to. */
export const DEFAULT_MAX_RESPONSE_MEGABYTES = 256;
export const MIN_MAX_RESPONSE_MEGABYTES = 1;
export const MAX_MAX_RESPONSE_MEGABYTES = 1024;
