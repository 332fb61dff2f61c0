import { excerpt, Masker, originOnly, SENSITIVE } from '../../core/mask.js';

/** What the access token shows as, wherever a server repeats it. */
export const TOKEN_SHOWN = '(access token)';

/**
 * Everything the client must never let through from a server to the user: the token, every
 * secret it sent or received, the URLs of webhooks (shown as the plans show live URLs: scheme
 * and host), and whatever the run's masker knows (values from the environment, declared
 * secrets), told through `use` once the configuration has been read.
 */
export class Redactor {
  // Private fields: neither JSON.stringify nor util.inspect shows what they hold.
  readonly #secrets = new Set<string>();
  readonly #urls = new Set<string>();
  #run = new Masker([]);
  #cached: Masker | undefined;
  readonly #token: string;

  constructor(token: string) {
    this.#token = token;
  }

  toJSON(): string {
    return 'Redactor (sensitive)';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toJSON();
  }

  /** The run's masker: merged with those told before. */
  use(masker: Masker): void {
    this.#run = this.#run.merge(masker);
    this.#cached = undefined;
  }

  /** A secret the client sent or received. */
  secret(value: unknown): void {
    if (typeof value !== 'string' || value === '' || this.#secrets.has(value)) return;
    this.#secrets.add(value);
    this.#cached = undefined;
  }

  /** A webhook URL the client sent or received. */
  url(value: unknown): void {
    if (typeof value !== 'string' || value === '' || this.#urls.has(value)) return;
    this.#urls.add(value);
    this.#cached = undefined;
  }

  /** Free text with every sensitive value replaced. */
  text(s: string): string {
    return this.masker().serverText(s);
  }

  /**
   * Text from a server, made safe to print: every sensitive value replaced (in every form a
   * server may encode it in), then cut to `max` characters, then control characters escaped.
   */
  serverText(s: string, max: number): string {
    return excerpt(this.masker(), s, max);
  }

  private masker(): Masker {
    if (this.#cached) return this.#cached;
    const own = new Masker([
      { value: this.#token, shown: TOKEN_SHOWN },
      ...[...this.#secrets].map((value) => ({ value, shown: SENSITIVE })),
    ]);
    // A URL the run's masker knows something of shows as its templates; any other as its origin.
    const urls = new Masker(
      [...this.#urls]
        .filter((u) => this.#run.text(u) === u)
        .map((u) => ({ value: u, shown: originOnly(u) })),
    );
    this.#cached = own.merge(this.#run).merge(urls);
    return this.#cached;
  }
}
