import type { IncomingHttpHeaders } from 'node:http';
import type { OutgoingAlert } from '../types.ts';

/** One request as the local provider received it. */
export interface ProviderRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The body parsed as JSON when it is JSON. */
  json: unknown;
  /** The body parsed as a form when it is `application/x-www-form-urlencoded`. */
  form: URLSearchParams | undefined;
}

/** An answer the local provider gives, as the provider documents it. */
export interface ProviderAnswer {
  status: number;
  /** An object is sent as JSON; a string as is. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** A request copied from the provider's documentation, to prove `protocol` is not shaped after our own output. */
export interface DocumentedExample {
  /** Where in the provider's documentation the example comes from. */
  source: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The body exactly as documented (JSON text, form text…). */
  body: string;
}

/**
 * What the contract suite needs to test a channel that speaks HTTP, kept in the channel's
 * folder as `fixture.ts` (export `fixture`). The checks follow the provider's public API
 * documentation, not the channel's code.
 */
export interface HttpChannelFixture {
  kind: 'http';
  /** The documentation pages the checks follow. */
  docs: readonly string[];
  /** Settings pointing the channel at the local provider (`http://127.0.0.1:<port>`). */
  settings(baseUrl: string): unknown;
  /** Every secret value those settings contain; none may show in errors, answers or logs. */
  secrets: readonly string[];
  /**
   * The documented protocol: every violation in one request (method, path, auth scheme,
   * encoding, required fields, length limits). Empty when the provider would accept it.
   * Runs on our requests and on every documented example.
   */
  protocol(request: ProviderRequest): string[];
  /** Whether our request says what the alert means (trigger vs resolve, dedup key, text). */
  semantics(request: ProviderRequest, sent: OutgoingAlert): string[];
  /** The provider's documented answer to an accepted request (default: 200 with `{}`). */
  accept?(request: ProviderRequest): ProviderAnswer;
  documentedExamples: readonly DocumentedExample[];
  /** Documented error answers and whether trying again could succeed. */
  errors: readonly { answer: ProviderAnswer; retryable: boolean; why: string }[];
}

/** Where the SMTP contract suite's local server listens, and the CA its certificate is from. */
export interface LocalSmtpServer {
  host: string;
  port: number;
  security: 'starttls' | 'tls';
  /** PEM of the test CA that issued the server's certificate (for 127.0.0.1). */
  caCertificate: string;
}

/**
 * What the SMTP contract suite needs to test a channel that sends mail over SMTP (email,
 * Amazon SES's SMTP interface), kept in the channel's folder as `fixture.ts`. The suite runs a
 * real SMTP server that demands the login over an encrypted session and parses mails back.
 */
export interface SmtpChannelFixture {
  kind: 'smtp';
  /** The documentation pages (RFCs, the provider's SMTP guide) the channel follows. */
  docs: readonly string[];
  /** The security modes the channel supports; the suite starts a server for each. */
  securities: readonly ('starttls' | 'tls')[];
  /** Settings pointing the channel at the local server, logging in with `login`. */
  settings(server: LocalSmtpServer, login: { username: string; password: string }): unknown;
  /** The login the local server accepts; `settings` gets it (or a wrong one) back. */
  login: { username: string; password: string };
  /** Every secret value the settings contain; none may show in errors, answers or logs. */
  secrets: readonly string[];
  /** The envelope and header sender and the recipients the settings name. */
  from: string;
  to: readonly string[];
  /** What every subject starts with. */
  subjectPrefix: string;
}

/**
 * What the command contract suite needs: settings that run a given executable with given
 * arguments and environment. The suite writes real scripts to a temporary directory.
 */
export interface CommandChannelFixture {
  kind: 'command';
  /** The conventions the channel follows (sysexits for the exit codes). */
  docs: readonly string[];
  settings(run: { command: string; args: readonly string[]; env: Record<string, string> }): unknown;
  /** Values the suite puts in `env` that must never show in errors or logs. */
  secrets: readonly string[];
}

/** A channel's fixture, by the protocol its contract suite speaks. */
export type ChannelFixture = HttpChannelFixture | SmtpChannelFixture | CommandChannelFixture;
