// oidc-provider 8 ships no types; the test provider describes the little it uses where it imports it.
declare module 'oidc-provider';
