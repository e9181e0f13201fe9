// Types for lab/internet.mjs, so TypeScript tests can import it.

export type ServerKind = 'hops' | 'nsd' | 'knot';

export interface LabServer {
  name: string;
  address: string;
  kind: ServerKind;
  /** Zone origins it serves, e.g. ["com.", "net."]. */
  zones: string[];
  /** The last 64 KB the process wrote to stdout and stderr. */
  output(): string;
}

export interface LabInternet {
  /** Address base, "127.N". */
  net: string;
  port: number;
  /** Temporary folder holding every server's files (removed by stop()). */
  dir: string;
  rootHintsFile: string;
  /** Where the plan puts a resolver (`${net}.100.1`); nothing is started there. */
  resolverAddress: string;
  servers: LabServer[];
  /** Addresses named as servers where nothing listens. */
  dead: Array<{ name: string; address: string }>;
  /** Addresses named as servers that take queries and never answer (held by this process). */
  silent: Array<{ name: string; address: string }>;
  /** Stops every process (SIGTERM, then SIGKILL) and removes the temporary folder. Idempotent. */
  stop(): Promise<void>;
}

export interface StartInternetOptions {
  /** Address base "127.N" (default "127.53"), or a list: the first one where no lab is running. */
  net?: string | string[];
  /** Parent of the temporary folder (default the OS temp dir). */
  baseDir?: string;
  port?: number;
  hopsMain?: string;
  hopsLogLevel?: string;
  timeoutMs?: number;
}

export const LAB_DIR: string;
export const REPO_DIR: string;
export const HOPS_MAIN: string;
export const DEFAULT_NET: string;
export const RESOLVER_HOST: string;
export const SERVERS: ReadonlyArray<{ name: string; kind: ServerKind; host: string; zones: Array<[string, string]> }>;
export const DEAD_SERVERS: ReadonlyArray<{ name: string; host: string }>;
export const SILENT_SERVERS: ReadonlyArray<{ name: string; host: string }>;

/** Thrown (code ELABBUSY) when something already answers on the plan's addresses. */
export class LabBusyError extends Error {
  readonly code: 'ELABBUSY';
}

export function startInternet(options?: StartInternetOptions): Promise<LabInternet>;
export function labAddress(net: string, host: string): string;
export function checkNet(net: string): void;
export function rewriteAddresses(text: string, net: string): string;
export function findBinary(name: string): string | undefined;
/** Reasons the lab cannot run here (not root, nsd/knotd/dig missing, dist/ not built); empty when it can. */
export function missingPrerequisites(options?: { hopsMain?: string }): string[];
