import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { COMMANDS, CONTEXT_KEYS, REQUESTS_VIEW_ID } from '../../src/commandIds';

interface Manifest {
  contributes: {
    commands: { command: string }[];
    views: Record<string, { id: string }[]>;
    menus: Record<string, { command: string; when?: string }[]>;
    viewsWelcome: { view: string; when?: string; contents: string }[];
    configuration: { properties: Record<string, unknown> };
    keybindings: { command: string; when?: string }[];
    walkthroughs: { steps: { description: string; media: { image: string }; completionEvents: string[] }[] }[];
  };
}

const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as Manifest;

describe('command ids and context keys match package.json', () => {
  it('every command the code registers is contributed, and every contributed command is registered', () => {
    const contributed = manifest.contributes.commands.map((entry) => entry.command).sort();
    assert.deepEqual(contributed, Object.values(COMMANDS).sort());
  });

  it('every menu entry names a known command', () => {
    const known = new Set<string>(Object.values(COMMANDS));
    for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
      for (const entry of entries) {
        assert.ok(known.has(entry.command), `${menu}: ${entry.command}`);
      }
    }
  });

  it('every mimcm.* context key in a when clause is one the code sets, and every config.mimcm.* one a setting', () => {
    const known = new Set<string>(Object.values(CONTEXT_KEYS));
    const settings = new Set(Object.keys(manifest.contributes.configuration.properties));
    const clauses = [
      ...Object.values(manifest.contributes.menus).flat(),
      ...manifest.contributes.viewsWelcome,
      ...manifest.contributes.keybindings,
    ].map((entry) => entry.when ?? '');
    for (const clause of clauses) {
      for (const setting of clause.match(/\bconfig\.mimcm\.[A-Za-z.]+\b/g) ?? []) {
        assert.ok(settings.has(setting.slice('config.'.length)), `${setting} in "${clause}"`);
      }
      for (const key of clause.replace(/\bconfig\.mimcm\.[A-Za-z.]+\b/g, '').match(/\bmimcm\.[A-Za-z]+\b/g) ?? []) {
        if (key !== REQUESTS_VIEW_ID) {
          assert.ok(known.has(key), `${key} in "${clause}"`);
        }
      }
    }
  });

  it('the view id is the contributed one', () => {
    assert.ok(
      Object.values(manifest.contributes.views)
        .flat()
        .some((view) => view.id === REQUESTS_VIEW_ID),
    );
  });

  it('every command link, keybinding and walkthrough step names a known command, and every walkthrough image ships', () => {
    const known = new Set<string>(Object.values(COMMANDS));
    const root = path.join(__dirname, '..', '..', '..');
    const shipped = readFileSync(path.join(root, '.vscodeignore'), 'utf8');
    const steps = manifest.contributes.walkthroughs.flatMap((walkthrough) => walkthrough.steps);
    const texts = [...manifest.contributes.viewsWelcome.map((entry) => entry.contents), ...steps.map((step) => step.description)];
    for (const command of [
      ...texts.flatMap((text) => [...text.matchAll(/\(command:([\w.]+)/g)].map((match) => match[1] ?? '')),
      ...manifest.contributes.keybindings.map((binding) => binding.command),
      ...steps.flatMap((step) => step.completionEvents.filter((event) => event.startsWith('onCommand:')).map((event) => event.slice(10))),
    ]) {
      assert.ok(known.has(command), command);
    }
    for (const step of steps) {
      assert.ok(existsSync(path.join(root, step.media.image)), step.media.image);
      assert.ok(shipped.includes(`!${step.media.image}\n`), `${step.media.image} is listed in .vscodeignore`);
    }
  });
});
