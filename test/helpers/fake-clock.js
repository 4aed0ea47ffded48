export class FakeClock {
    current;
    nextId = 1;
    timers = [];
    constructor(start = Date.UTC(2026, 0, 1)) {
        this.current = start;
    }
    now() {
        return this.current;
    }
    monotonic() {
        return this.current;
    }
    setTimeout(callback, delayMs) {
        const timer = { id: this.nextId++, at: this.current + Math.max(0, delayMs), callback };
        this.timers.push(timer);
        return { id: timer.id };
    }
    clearTimeout(handle) {
        const id = handle.id;
        this.timers = this.timers.filter((timer) => timer.id !== id);
    }
    pendingTimers() {
        return this.timers.length;
    }
    async advance(ms) {
        const end = this.current + ms;
        for (;;) {
            this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
            const next = this.timers[0];
            if (!next || next.at > end)
                break;
            this.timers.shift();
            this.current = next.at;
            next.callback();
            await flushMicrotasks();
        }
        this.current = end;
        await flushMicrotasks();
    }
}
export async function flushMicrotasks(rounds = 5) {
    for (let i = 0; i < rounds; i++)
        await new Promise((resolve) => setImmediate(resolve));
}
