// Text from attendees ends up in the instructor's terminal: a name like
// `\e]0;pwned\a` must arrive as plain characters, never as a sequence the
// terminal acts on. Whole escape sequences go first (strip-ansi knows CSI,
// OSC and friends), then every C0/C1 control and DEL that is left, then the
// bidi overrides that could make a name read backwards.
import stripAnsi from 'strip-ansi';

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** One line of plain text, at most `max` characters (code points), trimmed. */
export function cleanText(text: string, max = 200): string {
  const plain = stripAnsi(text).replace(CONTROLS, ' ').replace(/ {2,}/g, ' ').trim();
  const chars = [...plain];
  return chars.length > max ? chars.slice(0, max - 1).join('') + '…' : plain;
}

/** True when the text is already what cleanText would make of it (the server refuses names that are not). */
export function isClean(text: string, max = 200): boolean {
  return cleanText(text, max) === text;
}
