// RFC 1035 §5 master files: directives, owner/TTL/class defaults and
// $INCLUDE. Field syntax is in presentation.ts and rdata.ts; the checks on the
// zone as a whole (one SOA, NS at the apex, CNAME alone…) in zone-validate.ts.
//
// Default TTL (as BIND does it): a record without a TTL takes the last $TTL
// (RFC 2308 §4); with no $TTL yet, the previous record's TTL (RFC 1035 §5.1,
// with a warning); with no previous record, an SOA takes its own MINIMUM
// (with a warning) and any other record is an error.

import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { classNumber, typeName, typeNumber } from '../dns/codec.js';
import type { SoaData } from '../dns/message.js';
import { lexZoneText, type Entry, type Token } from './lexer.js';
import { FieldError, parseName, parseTtl } from './presentation.js';
import { parseRdata } from './rdata.js';
import type { Zone } from './zone.js';
import { ZoneError } from './zone-error.js';
import { validateZone, type SourcedRecord } from './zone-validate.js';

export interface ParseZoneOptions {
  /** The file's path: named in every message, and $INCLUDE paths are relative to it. */
  file: string;
  /** Origin for relative names until a $ORIGIN; the loader passes the file name minus `.zone`. */
  origin: string;
  /** Reads an $INCLUDE'd file; defaults to reading it from disk as UTF-8. */
  readFile?: (path: string) => string;
  /** How deeply $INCLUDE may nest; default 8. */
  maxIncludeDepth?: number;
}

export interface ZoneParseResult {
  /** Present only when there are no errors. */
  zone?: Zone;
  errors: ZoneError[];
  warnings: ZoneError[];
}

const DEFAULT_MAX_INCLUDE_DEPTH = 8;

/** Meta and query types (RFC 6895 §3.1) and OPT have no place in a zone. */
function isDataType(type: number): boolean {
  return type !== 0 && type !== 41 && (type < 128 || type > 255);
}

/** What a file's entries inherit from the ones before them. */
interface ParseState {
  origin: string;
  defaultTtl?: number; // from $TTL
  lastOwner?: string;
  lastTtl?: number;
}

export function parseZoneFile(text: string, options: ParseZoneOptions): ZoneParseResult {
  const parser = new ZoneFileParser(options);
  const origin = parser.initialOrigin(options.origin);
  if (origin === undefined) return { errors: parser.errors, warnings: parser.warnings };
  parser.parse(text, options.file, { origin }, [resolve(options.file)]);
  if (parser.errors.length > 0) {
    // Whole-zone checks on a partly read file would only add confusing noise.
    return { errors: parser.errors, warnings: parser.warnings };
  }
  const result = validateZone(parser.records, options.file);
  return { zone: result.zone, errors: result.errors, warnings: [...parser.warnings, ...result.warnings] };
}

class ZoneFileParser {
  readonly errors: ZoneError[] = [];
  readonly warnings: ZoneError[] = [];
  readonly records: SourcedRecord[] = [];
  private warnedPreviousTtl = false;

  constructor(private readonly options: ParseZoneOptions) {}

  initialOrigin(origin: string): string | undefined {
    try {
      return parseName({ text: origin.endsWith('.') ? origin : `${origin}.`, quoted: false }, '.');
    } catch (err) {
      if (!(err instanceof FieldError)) throw err;
      this.errors.push(new ZoneError(this.options.file, 0, `origin "${origin}" is not a valid domain name: ${err.message}`));
      return undefined;
    }
  }

  /** @param includeStack resolved paths of this file and the files including it */
  parse(text: string, file: string, state: ParseState, includeStack: string[]): void {
    for (const entry of lexZoneText(text)) {
      try {
        if (entry.error !== undefined) throw new FieldError(entry.error);
        const first = entry.tokens[0];
        if (!entry.blankOwner && !first.quoted && first.text.startsWith('$')) {
          this.directive(entry, file, state, includeStack);
        } else {
          this.record(entry, file, state);
        }
      } catch (err) {
        if (!(err instanceof FieldError)) throw err;
        this.errors.push(new ZoneError(file, entry.line, err.message));
      }
    }
  }

  private directive(entry: Entry, file: string, state: ParseState, includeStack: string[]): void {
    const [keyword, ...args] = entry.tokens;
    const name = keyword.text.toUpperCase();
    const expectArgs = (min: number, max: number) => {
      if (args.length < min || args.length > max) {
        throw new FieldError(`${name} takes ${min === max ? min : `${min} or ${max}`} argument${max > 1 ? 's' : ''}, not ${args.length}`);
      }
    };
    switch (name) {
      case '$ORIGIN':
        expectArgs(1, 1);
        state.origin = parseName(args[0], state.origin);
        return;
      case '$TTL': // RFC 2308 §4
        expectArgs(1, 1);
        state.defaultTtl = parseTtl(args[0]);
        return;
      case '$INCLUDE':
        expectArgs(1, 2);
        this.include(args, file, state, includeStack);
        return;
      default:
        throw new FieldError(`unknown directive ${keyword.text}`);
    }
  }

  /**
   * `$INCLUDE file [origin]`. The included file starts from the current
   * state, and nothing it changes leaks back: RFC 1035 §5.1 says so of the
   * origin, and we treat $TTL and the last owner the same way.
   */
  private include(args: Token[], file: string, state: ParseState, includeStack: string[]): void {
    const target = args[0].text;
    const path = isAbsolute(target) ? target : join(dirname(file), target);
    const origin = args[1] ? parseName(args[1], state.origin) : state.origin;
    const resolved = resolve(path);
    if (includeStack.includes(resolved)) {
      throw new FieldError(`$INCLUDE loop: ${path} is already being read`);
    }
    const maxDepth = this.options.maxIncludeDepth ?? DEFAULT_MAX_INCLUDE_DEPTH;
    if (includeStack.length > maxDepth) {
      throw new FieldError(`$INCLUDE nested more than ${maxDepth} deep`);
    }
    let text: string;
    try {
      text = (this.options.readFile ?? ((p: string) => readFileSync(p, 'utf8')))(path);
    } catch (err) {
      throw new FieldError(`cannot read $INCLUDE file ${path}: ${(err as Error).message}`);
    }
    this.parse(text, path, { ...state, origin }, [...includeStack, resolved]);
  }

  private record(entry: Entry, file: string, state: ParseState): void {
    const tokens = entry.tokens;
    let next = 0;
    let owner: string;
    if (entry.blankOwner) {
      if (state.lastOwner === undefined) throw new FieldError('line starts with a blank (same owner as before) but there is no record before it');
      owner = state.lastOwner;
    } else {
      owner = parseName(tokens[next++], state.origin);
    }
    state.lastOwner = owner;

    // TTL and class may come in either order (RFC 1035 §5.1). A TTL starts
    // with a digit; no type or class does.
    let ttl: number | undefined;
    let klass: string | undefined;
    for (let k = 0; k < 2 && next < tokens.length && !tokens[next].quoted; k++) {
      const text = tokens[next].text;
      if (ttl === undefined && /^\d/.test(text)) ttl = parseTtl(tokens[next]);
      else if (klass === undefined && classNumber(text) !== undefined) klass = text;
      else break;
      next++;
    }
    if (klass !== undefined && classNumber(klass) !== 1) {
      throw new FieldError(`class ${klass} is not supported: Hops serves class IN only`);
    }
    if (next >= tokens.length) throw new FieldError('record has no type');
    const type = recordType(tokens[next++]);
    const data = parseRdata(type, tokens.slice(next), state.origin);

    ttl ??= this.defaultTtl(state, type === 'SOA' ? (data as SoaData).minimum : undefined, file, entry.line);
    state.lastTtl = ttl;
    this.records.push({ rr: { name: owner, type, class: 'IN', ttl, data }, file, line: entry.line });
  }

  /** See the file header for the rule. */
  private defaultTtl(state: ParseState, soaMinimum: number | undefined, file: string, line: number): number {
    if (state.defaultTtl !== undefined) return state.defaultTtl;
    if (state.lastTtl !== undefined) {
      if (!this.warnedPreviousTtl) {
        this.warnedPreviousTtl = true;
        this.warnings.push(new ZoneError(file, line,
          'no TTL and no $TTL: using the previous record\'s TTL (RFC 1035 §5.1); add a $TTL line to make the default explicit'));
      }
      return state.lastTtl;
    }
    if (soaMinimum !== undefined) {
      this.warnings.push(new ZoneError(file, line, `no TTL and no $TTL: the SOA takes its MINIMUM, ${soaMinimum}, as its TTL`));
      return soaMinimum;
    }
    throw new FieldError('no TTL: give the record one, or put a $TTL line before it (RFC 2308 §4)');
  }
}

function recordType(token: Token): string {
  const number = token.quoted ? undefined : typeNumber(token.text);
  if (number === undefined) throw new FieldError(`unknown record type "${token.text}"`);
  const type = typeName(number);
  if (!isDataType(number)) throw new FieldError(`${type} is a query or meta type, not something a zone can hold`);
  // Serving DNAME needs name substitution (RFC 6672 §3), which the store does not do.
  if (type === 'DNAME') throw new FieldError('DNAME records are not supported');
  return type;
}
