import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CmClient, type CmClientOptions } from '../../src/cm/client';
import { resolveEndpoint } from '../../src/cm/endpoint';
import type { CmLogger } from '../../src/cm/logger';
import type { ConnectionSettings } from '../../src/settings/settings';
import type { RequestStatusName } from '../../src/cm/codes';
import { EngineHandle } from '../../src/engine/engineHandle';
import { generateRequests, type SimulatedRequest } from '../../tools/cm-simulator/data';
import { CmSimulator, type Fault, type SimulatorAuth } from '../../tools/cm-simulator/server';

/** Tests run from out/test/unit; fixtures stay in the source tree. */
export function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'test', 'fixtures', name), 'utf8'));
}

/** A logger that keeps what was logged, to assert on warnings and on what must never be logged. */
export class RecordingLogger implements CmLogger {
  readonly lines: string[] = [];
  trace(message: string): void {
    this.lines.push(`trace ${message}`);
  }
  debug(message: string): void {
    this.lines.push(`debug ${message}`);
  }
  info(message: string): void {
    this.lines.push(`info ${message}`);
  }
  warn(message: string): void {
    this.lines.push(`warn ${message}`);
  }
  error(message: string): void {
    this.lines.push(`error ${message}`);
  }
}

export interface RunningSimulator {
  simulator: CmSimulator;
  url: string;
  client(options?: Partial<Omit<CmClientOptions, 'endpoint'>> & { apiPath?: string; host?: string }): CmClient;
  logger: RecordingLogger;
  stop(): Promise<void>;
}

/** Starts a simulator on a free loopback port and hands out clients pointed at it (closed by stop()). */
export async function startSimulator(
  options: { count?: number; seed?: number; fault?: Fault; auth?: SimulatorAuth } = {},
): Promise<RunningSimulator> {
  const simulator = new CmSimulator({
    requests: generateRequests(options.count ?? 60, options.seed ?? 7),
    fault: options.fault,
    auth: options.auth,
  });
  const url = await simulator.start(0);
  const logger = new RecordingLogger();
  const clients: CmClient[] = [];
  return {
    simulator,
    url,
    logger,
    client: (overrides = {}) => {
      const resolved = resolveEndpoint(overrides.host ?? url, overrides.apiPath ?? '/CertificateManagement/api/v1.0');
      if (!resolved.ok) {
        throw resolved.error;
      }
      const client = new CmClient({
        endpoint: resolved.endpoint,
        targetUser: overrides.targetUser ?? 'all',
        timeoutSeconds: overrides.timeoutSeconds ?? 5,
        logger,
        credentials: overrides.credentials,
        proxy: overrides.proxy,
        negotiate: overrides.negotiate,
      });
      clients.push(client);
      return client;
    },
    stop: async () => {
      await Promise.all(clients.map((client) => client.close()));
      await simulator.stop();
    },
  };
}

/** Runs `action` and returns what it threw; fails the test when nothing was thrown. */
export async function rejection(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Connection settings as the settings reader makes them for https://cm.contoso.com, with `overrides` on top. */
export function testSettings(overrides: Partial<ConnectionSettings> = {}): ConnectionSettings {
  return {
    host: 'https://cm.contoso.com',
    apiPath: '/CertificateManagement/api/v1.0',
    targetUser: 'all',
    requestTimeoutSeconds: 5,
    maxResponseMegabytes: 256,
    authentication: 'none',
    kerberosServicePrincipal: '',
    caFile: '',
    clientCertificate: '',
    proxy: { proxy: '', strictSSL: true, noProxy: [], support: 'override' },
    adfs: { authority: '', clientId: '', resource: '', scope: 'openid', redirectPort: 0 },
    ...overrides,
  };
}

/** A simulator serving `requests`, and a real engine worker that has loaded `statuses` from it. */
export async function startLoadedEngine(
  requests: SimulatedRequest[],
  statuses: readonly RequestStatusName[],
): Promise<{ simulator: CmSimulator; handle: EngineHandle; stop(): Promise<void> }> {
  const simulator = new CmSimulator({ requests });
  const url = await simulator.start(0);
  const handle = new EngineHandle(path.join(__dirname, '..', '..', 'src', 'engine', 'worker.js'), new RecordingLogger());
  await handle.call('configure', {
    connection: testSettings({ host: url }),
    secrets: {},
    userAgent: 'test',
    locale: 'en-US',
    rereadSecrets: false,
  });
  await handle.call('load', { statuses });
  return {
    simulator,
    handle,
    stop: async () => {
      handle.dispose();
      await simulator.stop();
    },
  };
}
