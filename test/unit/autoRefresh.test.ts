import * as assert from 'node:assert/strict';
import { AutoRefresh } from '../../src/autoRefresh';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A view whose loads take `loadMs` and that counts them. */
function fakeView(loadMs = 0) {
  const view = {
    watched: true,
    loads: 0,
    running: 0,
    mostAtOnce: 0,
    refresh: async () => {
      view.loads++;
      view.running++;
      view.mostAtOnce = Math.max(view.mostAtOnce, view.running);
      await pause(loadMs);
      view.running--;
    },
    isWatched: () => view.watched,
  };
  return view;
}

describe('refreshing the view on a timer', () => {
  const timers: AutoRefresh[] = [];
  afterEach(() => timers.splice(0).forEach((timer) => timer.dispose()));
  const start = (view: ReturnType<typeof fakeView>, intervalMs: number) => {
    const timer = new AutoRefresh(view);
    timers.push(timer);
    timer.setIntervalMs(intervalMs);
    return timer;
  };

  it('reloads again and again while the view is watched, and stops when turned off', async () => {
    const view = fakeView();
    const timer = start(view, 20);
    await pause(150);
    assert.ok(view.loads >= 3, `${view.loads} loads`);
    timer.setIntervalMs(0);
    const loads = view.loads;
    await pause(100);
    assert.equal(view.loads, loads);
  });

  it('does nothing when it is off', async () => {
    const view = fakeView();
    start(view, 0);
    await pause(80);
    assert.equal(view.loads, 0);
  });

  it('never starts a load while the previous one is still running', async () => {
    const view = fakeView(60);
    start(view, 10);
    await pause(250);
    assert.ok(view.loads >= 2, `${view.loads} loads`);
    assert.equal(view.mostAtOnce, 1);
  });

  it('skips the server while nobody watches, and catches up at once when watched again', async () => {
    const view = fakeView();
    view.watched = false;
    const timer = start(view, 20);
    await pause(120);
    assert.equal(view.loads, 0, 'no load in the background');
    view.watched = true;
    timer.watchedAgain();
    await pause(5);
    assert.equal(view.loads, 1, 'the skipped load runs on return, without waiting for the next tick');
    await pause(100);
    assert.ok(view.loads >= 3, 'and the timer runs on');
  });

  it('does not load on return when no tick was missed', async () => {
    const view = fakeView();
    const timer = start(view, 1_000);
    timer.watchedAgain();
    await pause(30);
    assert.equal(view.loads, 0);
  });
});
