// Which programs a lab's node and host commands run, so `labs --check` can
// say when a lab uses one that `hoplab doctor` and scripts/setup.sh do not
// install (a learner would meet "command not found" halfway through). Pod
// commands are left out: those run the image's own tools.
import type { Lab, LabCommand } from './model.js';

/** Shell words that are not programs, and programs every Debian system has (sh builtins, coreutils, grep, sed, awk). */
const ALWAYS_THERE = new Set(
  (
    ': . [ [[ alias break cd command continue echo eval exec exit export false kill local printf pwd read return set shift test trap true type ulimit umask unset wait ' +
    'basename cat cp cut date dd dirname env expr head id ln ls mkdir mktemp mv nice nohup od readlink rm rmdir seq sleep sort stat tail tee timeout touch tr uniq wc xargs yes ' +
    'awk bash grep egrep fgrep hostname mawk gawk sed sh'
  ).split(' '),
);
const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '!', '{', '}', 'time']);
/** Programs that run the program named after their own options and arguments. */
const WRAPPERS: Record<string, (words: string[]) => number> = {
  // timeout [OPTION] DURATION COMMAND
  timeout: (w) => {
    let i = 0;
    while (w[i]?.startsWith('-')) i++;
    return i + 1;
  },
  nice: (w) => (w[0] === '-n' ? 2 : w[0]?.startsWith('-') ? 1 : 0),
  nohup: () => 0,
  exec: () => 0,
  env: (w) => w.findIndex((x) => !x.startsWith('-') && !/^\w+=/.test(x)),
};

/** The simple commands of a shell line, each as its words, quoted text kept as one word. */
function simpleCommands(line: string): string[][] {
  const text = line.replace(/\{\{[^}]*\}\}/g, 'T');
  const commands: string[][] = [];
  let words: string[] = [];
  let word = '';
  let quote: string | undefined;
  // What each open parenthesis returns to: a `$(` inside double quotes ends back inside them.
  const parens: (string | undefined)[] = [];
  const endWord = () => {
    if (word) words.push(word);
    word = '';
  };
  const endCommand = () => {
    endWord();
    if (words.length) commands.push(words);
    words = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    // $(( arithmetic )) runs nothing.
    if (quote !== "'" && text.startsWith('$((', i)) {
      const end = text.indexOf('))', i);
      i = end < 0 ? text.length : end + 1;
      word += 'N';
      continue;
    }
    if (quote === '"' && ch === '$' && text[i + 1] === '(') {
      endCommand();
      parens.push('"');
      quote = undefined;
      i++;
      continue;
    }
    if (quote) {
      if (ch === quote) quote = undefined;
      word += ch === quote ? '' : ch === ' ' ? '_' : ch;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      word += 'Q';
    } else if (ch === '\\') word += text[++i] ?? '';
    else if (ch === '$' && text[i + 1] === '(') {
      endCommand();
      parens.push(undefined);
      i++;
    } else if (ch === '(') {
      endCommand();
      parens.push(undefined);
    } else if (ch === ')') {
      endCommand();
      quote = parens.pop();
      // What follows `)` continues the command around it, whose program was taken already.
      words = ['$'];
    } else if (';|&`\n'.includes(ch)) endCommand();
    else if (/\s/.test(ch)) endWord();
    else word += ch;
  }
  endCommand();
  return commands;
}

/** The programs a shell command line runs, in order of first use. */
export function programsOf(line: string): string[] {
  const found: string[] = [];
  for (let words of simpleCommands(line)) {
    if (words[0] === 'for' || words[0] === 'case' || words[0] === 'in') continue;
    for (;;) {
      while (words.length && (KEYWORDS.has(words[0]!) || /^\w+=/.test(words[0]!) || /^\d*[<>]/.test(words[0]!))) words = words.slice(1);
      const program = words[0];
      if (!program || program.startsWith('$') || /^\d/.test(program)) break;
      found.push(program.replace(/^.*\//, ''));
      const skip = WRAPPERS[program];
      if (!skip) break;
      const n = skip(words.slice(1));
      if (n < 0) break;
      words = words.slice(1 + n);
    }
  }
  return [...new Set(found)];
}

/** Every command of a lab that runs on a node or a lab host: resets, runs, checks, the solution's answers and repair. */
export function machineCommands(lab: Lab): LabCommand[] {
  const all: LabCommand[] = [];
  for (const step of lab.steps) {
    all.push(...step.reset, ...step.run);
    for (const c of step.checks) {
      if (c.kind === 'hops') all.push(c.observe);
      else if (c.kind === 'succeeds' || c.kind === 'fails' || c.kind === 'output') all.push(c.command);
    }
    for (const a of Object.values(step.solution?.answers ?? {})) if (a.kind === 'command') all.push(a.command);
    all.push(...(step.solution?.run ?? []));
  }
  return all.filter((c) => c.where.kind === 'node' || c.where.kind === 'host');
}

/** The programs a lab runs on its machines beyond what every system has, each with where it is first used. */
export function labTools(lab: Lab): { program: string; at: string }[] {
  const seen = new Map<string, string>();
  for (const cmd of machineCommands(lab)) for (const p of programsOf(cmd.text)) if (!ALWAYS_THERE.has(p) && !seen.has(p)) seen.set(p, cmd.at);
  return [...seen].map(([program, at]) => ({ program, at }));
}
