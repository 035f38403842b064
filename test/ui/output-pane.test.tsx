import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { OutputRing, sanitizeLine, visibleRange } from '../../src/ui/output-buffer.js';
import { OutputStore } from '../../src/ui/output-store.js';
import { OutputPane } from '../../src/ui/OutputPane.js';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('OutputRing', () => {
  it('keeps the last capacity lines, oldest first, and counts all', () => {
    const r = new OutputRing(3);
    for (let i = 1; i <= 5; i++) r.push({ text: `l${i}`, stream: 'stdout' });
    expect(r.size).toBe(3);
    expect(r.total).toBe(5);
    expect(r.slice(0, 3).map((l) => l.text)).toEqual(['l3', 'l4', 'l5']);
    expect(r.slice(1, 2).map((l) => l.text)).toEqual(['l4']);
  });
});

describe('visibleRange', () => {
  it('follows the bottom when scrollBack is 0', () => {
    expect(visibleRange(100, 10, 0)).toEqual({ from: 90, to: 100, scrollBack: 0 });
  });
  it('clamps scrolling to the top and to the bottom', () => {
    expect(visibleRange(100, 10, 500)).toEqual({ from: 0, to: 10, scrollBack: 90 });
    expect(visibleRange(5, 10, 3)).toEqual({ from: 0, to: 5, scrollBack: 0 });
    expect(visibleRange(100, 10, -4).scrollBack).toBe(0);
  });
});

describe('sanitizeLine', () => {
  it('drops escapes and control characters, keeps the last carriage-return overwrite', () => {
    expect(sanitizeLine('\x1b[31mred\x1b[0m')).toBe('red');
    expect(sanitizeLine('10%\r55%\r100% done')).toBe('100% done');
    expect(sanitizeLine('a\tb\x07')).toBe('a    b');
    expect(sanitizeLine('x'.repeat(10_000)).length).toBe(400);
  });
});

describe('OutputStore', () => {
  it('joins partial chunks into lines and notifies at most once per throttle', async () => {
    const s = new OutputStore(10, 20);
    let calls = 0;
    s.subscribe(() => calls++);
    s.write('hel');
    s.write('lo\nwor');
    s.write('ld\n');
    for (let i = 0; i < 1000; i++) s.line(`n${i}`);
    expect(calls).toBe(0);
    await tick(40);
    expect(calls).toBe(1);
    expect(s.ring.total).toBe(1002);
    expect(s.ring.slice(9, 10)[0]!.text).toBe('n999');
  });
});

describe('OutputPane', () => {
  it('shows only the last rows that fit, and the line count', async () => {
    const s = new OutputStore(50, 5);
    for (let i = 1; i <= 120; i++) s.line(`line ${i}`);
    const { lastFrame, rerender } = render(<OutputPane store={s} height={4} scrollBack={0} />);
    await tick(20);
    const frame = lastFrame()!;
    expect(frame).toContain('120 lines (last 50 kept)');
    expect(frame).toContain('line 120');
    expect(frame).toContain('line 117');
    expect(frame).not.toContain('line 116');
    rerender(<OutputPane store={s} height={4} scrollBack={10} />);
    await tick(20);
    expect(lastFrame()).toContain('line 110');
    expect(lastFrame()).not.toContain('line 111');
    expect(lastFrame()).toContain('scrolled up 10');
  });
  it('re-renders when lines stream in', async () => {
    const s = new OutputStore(50, 5);
    const { lastFrame } = render(<OutputPane store={s} height={3} scrollBack={0} />);
    await tick();
    s.write('first\nsecond\n');
    await tick(30);
    expect(lastFrame()).toContain('second');
  });
});
