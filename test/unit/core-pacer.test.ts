import * as assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { Pacer } from '../../src/core/pacer';

// mock.timers moves setTimeout; the pacer's clock follows the same mocked Date.
describe('Pacer: urgent changes soon, routine ones at most every interval', () => {
  let draws: number[];
  let pacer: Pacer;
  beforeEach(() => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
    draws = [];
    pacer = new Pacer({ soonMs: 150, everyMs: 1000, now: () => Date.now() }, () => draws.push(Date.now()));
  });
  afterEach(() => {
    pacer.dispose();
    mock.timers.reset();
  });

  it('draws a first change after soonMs, and a burst once', () => {
    pacer.schedule();
    mock.timers.tick(50);
    pacer.schedule();
    pacer.schedule();
    mock.timers.tick(99);
    assert.deepEqual(draws, []);
    mock.timers.tick(1);
    assert.deepEqual(draws, [150]);
  });

  it('draws routine changes at most once every everyMs', () => {
    pacer.schedule();
    mock.timers.tick(150);
    pacer.schedule();
    mock.timers.tick(500);
    assert.deepEqual(draws, [150], 'not before 150 + 1000');
    mock.timers.tick(500);
    assert.deepEqual(draws, [150, 1150]);
  });

  it('an urgent change brings a waiting routine draw forward', () => {
    pacer.schedule();
    mock.timers.tick(150);
    pacer.schedule();
    mock.timers.tick(100);
    pacer.schedule('soon');
    mock.timers.tick(150);
    assert.deepEqual(draws, [150, 400]);
    // ... and a routine change after it waits its interval again.
    pacer.schedule();
    mock.timers.tick(999);
    assert.deepEqual(draws, [150, 400]);
    mock.timers.tick(1);
    assert.deepEqual(draws, [150, 400, 1400]);
  });

  it('a routine change never delays an urgent draw already due sooner', () => {
    pacer.schedule();
    mock.timers.tick(150);
    pacer.schedule('soon');
    pacer.schedule();
    mock.timers.tick(150);
    assert.deepEqual(draws, [150, 300]);
  });

  it('with gapMs, never two draws closer than that, urgent or not', () => {
    const gapped = new Pacer({ soonMs: 150, everyMs: 1000, gapMs: 250, now: () => Date.now() }, () => draws.push(Date.now()));
    gapped.schedule('soon');
    mock.timers.tick(150);
    gapped.schedule('soon');
    mock.timers.tick(150);
    assert.deepEqual(draws, [150], 'the second urgent draw waits for the gap');
    mock.timers.tick(100);
    assert.deepEqual(draws, [150, 400]);
    gapped.dispose();
  });

  it("'now' draws at once, bringing a waiting draw forward, but keeps the gap", () => {
    const gapped = new Pacer({ soonMs: 150, everyMs: 1000, gapMs: 250, now: () => Date.now() }, () => draws.push(Date.now()));
    gapped.schedule();
    mock.timers.tick(150);
    gapped.schedule();
    mock.timers.tick(50);
    assert.deepEqual(draws, [150], 'a routine change waits for 150 + 1000');
    gapped.schedule('now');
    mock.timers.tick(199);
    assert.deepEqual(draws, [150], 'the gap after the last draw (150 + 250) holds for now too');
    mock.timers.tick(1);
    assert.deepEqual(draws, [150, 400]);
    mock.timers.tick(1000);
    gapped.schedule('now');
    mock.timers.tick(0);
    assert.deepEqual(draws, [150, 400, 1400], 'past the gap: drawn at once');
    gapped.dispose();
  });

  it('draws nothing after dispose', () => {
    pacer.schedule('soon');
    pacer.dispose();
    mock.timers.tick(5000);
    assert.deepEqual(draws, []);
  });
});
