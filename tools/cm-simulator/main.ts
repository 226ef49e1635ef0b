import { parseArgs } from 'node:util';
import { generateRequests } from './data';
import { DirectoryStandIn } from './directoryStandIn';
import { CmSimulator, CONTROL_PATH, FAULT_MODES, type FaultMode, type SimulatorAuth } from './server';

const USAGE = `CM simulator: a local stand-in for the MIM CM REST API request endpoints.
Usage: npm run simulator -- [--port 8080] [--host 127.0.0.1] [--requests 300] [--seed 1]
                            [--prefix /CertificateManagement/api/v1.0] [--fault ${FAULT_MODES.join('|')}] [--delay-ms 5000]
                            [--auth basic:USER:PASSWORD | --auth bearer:TOKEN] [--directory-port 3890]
At run time: POST ${CONTROL_PATH}/fault with {"mode":"403"} (or any mode above) to stage a failure.`;

function main(): void {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      requests: { type: 'string', default: '300' },
      seed: { type: 'string', default: '1' },
      prefix: { type: 'string', default: '/CertificateManagement/api/v1.0' },
      fault: { type: 'string', default: 'none' },
      'delay-ms': { type: 'string', default: '5000' },
      auth: { type: 'string' },
      'directory-port': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const mode: FaultMode | undefined = FAULT_MODES.find((candidate) => candidate === values.fault);
  const numbers = [values.port, values.requests, values.seed, values['delay-ms']].map(Number);
  if (mode === undefined || numbers.some((value) => !Number.isInteger(value) || value < 0)) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  const [port, count, seed, delayMs] = numbers as [number, number, number, number];
  const auth = parseAuth(values.auth);
  if (auth === null) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  // Submitted up to today (midnight UTC), as on a server in use: the dashboard's recent ranges have data.
  const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
  const simulator = new CmSimulator({
    requests: generateRequests(count, seed, today),
    prefix: values.prefix,
    fault: { mode, delayMs },
    auth,
  });
  simulator.start(port, values.host).then(
    (url) => {
      console.log(`CM simulator: ${count} requests (seed ${seed}) at ${url}${values.prefix}/requests`);
      console.log(`Set "mimcm.host": "${url}"${mode === 'none' ? '' : ` (fault: ${mode})`}`);
    },
    (error: unknown) => {
      console.error(`CM simulator could not listen on ${values.host}:${port}: ${String(error)}`);
      process.exitCode = 1;
    },
  );
  // The people behind the requests' GUIDs, for names: a directory stand-in on loopback (plain LDAP, anonymous).
  const directoryPort = values['directory-port'] === undefined ? undefined : Number(values['directory-port']);
  const directory = directoryPort === undefined || !Number.isInteger(directoryPort) ? undefined : new DirectoryStandIn();
  directory?.start(directoryPort).then(
    (url) => console.log(`Directory stand-in: ${url} (mimcm.directory.url)`),
    (error: unknown) => console.error(`The directory stand-in could not listen on port ${directoryPort}: ${String(error)}`),
  );
  const stop = (): void => {
    void Promise.all([simulator.stop(), directory?.stop()]).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** "basic:user:password" or "bearer:token"; null when malformed. */
function parseAuth(value: string | undefined): SimulatorAuth | null {
  if (value === undefined) {
    return undefined;
  }
  const [kind, ...rest] = value.split(':');
  if (kind === 'basic' && rest.length >= 2) {
    return { basic: { username: rest[0], password: rest.slice(1).join(':') } };
  }
  if (kind === 'bearer' && rest.length >= 1) {
    return { bearer: rest.join(':') };
  }
  return null;
}

main();
