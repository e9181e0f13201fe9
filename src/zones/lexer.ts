// RFC 1035 §5.1 master-file lexing: turns file text into entries (one per
// record or directive) made of tokens. It deals with everything that is about
// characters rather than meaning: `;` comments, parentheses that let an entry
// span lines, quoted strings, backslash escapes, and whether the entry starts
// with a blank (which means "same owner as before").
//
// Escapes are kept in the token text (`\.`, `\065`): what they mean depends on
// the field — inside a domain name `\.` is a dot within a label, not a label
// separator — so the field parsers in presentation.ts interpret them.

export interface Token {
  text: string;
  /** Written inside double quotes: never a name, a number or `\#`. */
  quoted: boolean;
}

export interface Entry {
  /** 1-based line on which the entry starts. */
  line: number;
  /** The entry began with a space or tab: the owner is omitted (RFC 1035 §5.1). */
  blankOwner: boolean;
  tokens: Token[];
  /** First syntax error in the entry; its tokens are then incomplete. */
  error?: string;
}

export function lexZoneText(text: string): Entry[] {
  const entries: Entry[] = [];
  let line = 1;
  let entry: Entry | undefined;
  let word: string | undefined;
  let inParens = false;

  const fail = (reason: string) => {
    if (entry && entry.error === undefined) entry.error = reason;
  };
  const endWord = () => {
    if (word !== undefined) entry!.tokens.push({ text: word, quoted: false });
    word = undefined;
  };
  const endEntry = () => {
    if (entry && (entry.tokens.length > 0 || entry.error !== undefined)) entries.push(entry);
    entry = undefined;
  };

  let i = 0;
  while (i < text.length) {
    const c = text[i];
    entry ??= { line, blankOwner: c === ' ' || c === '\t', tokens: [] };
    switch (c) {
      case '\n':
        endWord();
        line++;
        i++;
        if (!inParens) endEntry();
        break;
      case ' ':
      case '\t':
      case '\r':
        endWord();
        i++;
        break;
      case ';':
        endWord();
        while (i < text.length && text[i] !== '\n') i++;
        break;
      case '(':
        endWord();
        if (inParens) fail('"(" inside parentheses');
        inParens = true;
        i++;
        break;
      case ')':
        endWord();
        if (!inParens) fail('")" without a matching "("');
        inParens = false;
        i++;
        break;
      case '"': {
        if (word !== undefined) fail('a quote in the middle of a word');
        endWord();
        i++;
        let s = '';
        while (i < text.length && text[i] !== '"' && text[i] !== '\n') {
          const escaped = text[i] === '\\' && i + 1 < text.length && text[i + 1] !== '\n';
          s += escaped ? text.slice(i, i + 2) : text[i];
          i += escaped ? 2 : 1;
        }
        if (text[i] === '"') {
          entry.tokens.push({ text: s, quoted: true });
          i++;
        } else {
          fail('quoted string not closed on the line it starts');
        }
        break;
      }
      case '\\':
        if (i + 1 >= text.length || text[i + 1] === '\n') {
          fail('"\\" at the end of a line');
          i++;
        } else {
          word = (word ?? '') + text.slice(i, i + 2);
          i += 2;
        }
        break;
      default:
        word = (word ?? '') + c;
        i++;
    }
  }
  if (entry) {
    endWord();
    if (inParens) fail('"(" not closed before the end of the file');
    endEntry();
  }
  return entries;
}
