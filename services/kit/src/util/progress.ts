/**
 * A one-line progress bar on stderr with rate and ETA; silent when stderr is not a
 * terminal except for a line every few seconds, so CI logs stay readable.
 */
export class Progress {
  private done = 0;
  private readonly started = Date.now();
  private lastDraw = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly unit = 'rows',
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  tick(n = 1): void {
    this.done += n;
    const now = Date.now();
    const interval = this.out.isTTY ? 100 : 5000;
    if (now - this.lastDraw >= interval) {
      this.lastDraw = now;
      this.draw(false);
    }
  }

  finish(): void {
    this.draw(true);
  }

  private draw(final: boolean): void {
    const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
    const rate = this.done / seconds;
    const share = this.total > 0 ? Math.min(this.done / this.total, 1) : 1;
    const eta = rate > 0 ? Math.max(this.total - this.done, 0) / rate : 0;
    const width = 24;
    const filled = Math.round(share * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const text = `${this.label} ${bar} ${(share * 100).toFixed(0).padStart(3)}% ${this.done.toLocaleString('en')}/${this.total.toLocaleString('en')} ${this.unit} · ${Math.round(rate).toLocaleString('en')}/s · ${final ? `${seconds.toFixed(1)}s` : rate > 0 ? `ETA ${eta.toFixed(0)}s` : 'ETA –'}`;
    if (this.out.isTTY) this.out.write(`\r${text}${final ? '\n' : ''}`);
    else if (final || share < 1) this.out.write(`${text}\n`);
  }
}
