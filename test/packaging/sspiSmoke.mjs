// Run by Windows' node.exe (under Wine in the tests): loads the SSPI binary from an unpacked win32-x64 VSIX through
// the adapter the engine uses (compiled from src/cm/negotiate/sspiContext.ts), and drives it as far as a machine
// without a domain logon allows. Every call the adapter makes on the binary is recorded; the result goes to a file.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [adapterFile, nativeRoot, resultFile] = process.argv.slice(2);
const result = { platform: process.platform, arch: process.arch, node: process.version, calls: [] };
const finish = () => writeFileSync(resultFile, JSON.stringify(result, null, 2));

/** The binding as the adapter sees it, with each call written down: its name and how it ended. */
function recorded(binding) {
  return new Proxy(binding, {
    get(target, name) {
      const value = target[name];
      if (typeof value !== 'function') {
        return value;
      }
      return (...args) => {
        try {
          const answer = value.apply(target, args);
          result.calls.push(`${String(name)}: ${answer?.SECURITY_STATUS ?? 'ok'}`);
          return answer;
        } catch (error) {
          result.calls.push(`${String(name)}: threw ${/0x[0-9a-f]{8}/i.exec(String(error.message))?.[0] ?? error.message}`);
          throw error;
        }
      };
    },
  });
}

try {
  // The adapter is the compiled CommonJS the engine's bundle is made from.
  const { loadSspi, sspiContext } = createRequire(import.meta.url)(adapterFile);
  const binding = loadSspi(nativeRoot);
  result.packages = binding.EnumerateSecurityPackages().map((pack) => pack.Name);
  const context = sspiContext('HTTP@cm.contoso.test', recorded(binding));
  context
    .next(undefined)
    .then(
      (step) => {
        result.step = { complete: step.complete, tokenBytes: step.token?.length ?? 0 };
      },
      (error) => {
        result.error = { kind: error.kind, message: error.message, hint: error.hint };
      },
    )
    .finally(() => {
      context.dispose();
      finish();
    });
} catch (error) {
  result.failed = String(error && error.stack ? error.stack : error);
  finish();
}
