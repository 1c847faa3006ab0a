// The vector selectors of a PromQL expression — `http_requests_total{job="api"}`, `up`, `{__name__=~"x"}` —
// for the monitoring suite's "selects nothing" check. A rule over a misspelled metric or a label value that
// no longer exists evaluates to an empty vector and stays `health: ok` forever
// (shared/reference/monitoring.md §1.7): only looking its selectors up tells it apart. An alerting rule's
// expression is usually empty while nothing is wrong (`up == 0`), so its selectors are looked up, not its
// result. Selectors inside `absent()` and `absent_over_time()` are meant to select nothing and are skipped.
//
// This is a scanner, not a parser: it knows strings, comments, brackets, label lists of `by`/`without`/
// `on`/`ignoring`/`group_left`/`group_right`, and keywords, which is what it takes to find the selectors of
// any expression Prometheus accepts. Range and subquery brackets (`[5m]`, `[1h:1m]`), `offset` and `@` are
// dropped: the selector alone is what is looked up. Pure.

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'inf',
  'nan',
]);
/** Keywords followed by a parenthesised list of label names, not an expression. */
const LABEL_LISTS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
/** Aggregation operators: `sum by (job) (x)` puts a label list between the name and its parenthesis. */
const AGGREGATIONS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
  'limitk',
  'limit_ratio',
]);
/** Functions whose argument is expected to select nothing. */
const EXPECTS_NOTHING = new Set(['absent', 'absent_over_time']);

const IDENT_START = /[A-Za-z_:]/;
const IDENT = /[A-Za-z0-9_:]/;

export interface SelectorScan {
  /** Each distinct selector, as written (whitespace collapsed), in order of appearance. */
  selectors: string[];
  /** Why the expression could not be scanned (an unterminated string or brace), when it could not. */
  problem?: string;
}

/** Reads a quoted string from `i` (at the quote); returns the index after it, or -1 when unterminated. */
function skipString(expr: string, i: number): number {
  const quote = expr[i]!;
  for (let j = i + 1; j < expr.length; j++) {
    if (quote !== '`' && expr[j] === '\\') j++;
    else if (expr[j] === quote) return j + 1;
  }
  return -1;
}

/** The index after the `close` matching the `open` at `i`, skipping strings; -1 when there is none. */
function skipBalanced(expr: string, i: number, open: string, close: string): number {
  let depth = 0;
  for (let j = i; j < expr.length; j++) {
    const c = expr[j]!;
    if (c === '"' || c === "'" || c === '`') {
      const end = skipString(expr, j);
      if (end < 0) return -1;
      j = end - 1;
    } else if (c === open) depth++;
    else if (c === close && --depth === 0) return j + 1;
  }
  return -1;
}

const nextNonSpace = (expr: string, i: number) => {
  let j = i;
  while (j < expr.length && /\s/.test(expr[j]!)) j++;
  return j;
};

export function vectorSelectors(expr: string): SelectorScan {
  const selectors: string[] = [];
  const add = (s: string) => {
    const flat = s.replace(/\s+/g, ' ').trim();
    if (!selectors.includes(flat)) selectors.push(flat);
  };
  // One entry per open parenthesis: whether selectors inside it are expected to select nothing.
  const parens: boolean[] = [];
  const quiet = () => parens.includes(true);
  let pendingCall: boolean | undefined;
  let i = 0;
  while (i < expr.length) {
    const c = expr[i]!;
    if (c === '#') {
      const nl = expr.indexOf('\n', i);
      i = nl < 0 ? expr.length : nl + 1;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      const end = skipString(expr, i);
      if (end < 0) return { selectors, problem: `an unterminated string at character ${i + 1}` };
      i = end;
      continue;
    }
    if (c === '[') {
      const end = skipBalanced(expr, i, '[', ']');
      if (end < 0) return { selectors, problem: `an unclosed "[" at character ${i + 1}` };
      i = end;
      continue;
    }
    if (c === '(') {
      parens.push(pendingCall ?? false);
      pendingCall = undefined;
      i++;
      continue;
    }
    if (c === ')') {
      parens.pop();
      i++;
      continue;
    }
    if (c === '{') {
      const end = skipBalanced(expr, i, '{', '}');
      if (end < 0) return { selectors, problem: `an unclosed "{" at character ${i + 1}` };
      if (!quiet()) add(expr.slice(i, end));
      i = end;
      continue;
    }
    if (/[0-9.]/.test(c)) {
      // A number or a duration (`5m`, `1.5e3`, `0x1f`): letters that follow belong to it.
      let j = i + 1;
      while (j < expr.length && /[A-Za-z0-9_.]/.test(expr[j]!)) j++;
      i = j;
      continue;
    }
    if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < expr.length && IDENT.test(expr[j]!)) j++;
      const word = expr.slice(i, j);
      const after = nextNonSpace(expr, j);
      const lower = word.toLowerCase();
      if (LABEL_LISTS.has(lower) && expr[after] === '(') {
        const end = skipBalanced(expr, after, '(', ')');
        if (end < 0) return { selectors, problem: `an unclosed "(" at character ${after + 1}` };
        i = end;
        continue;
      }
      if (KEYWORDS.has(lower)) {
        i = j;
        continue;
      }
      if (expr[after] === '(') {
        // A function or an aggregation: `sum by (job) (…)` has its label list before the parenthesis.
        pendingCall = EXPECTS_NOTHING.has(word);
        i = j;
        continue;
      }
      if (AGGREGATIONS.has(lower) && expr[after] !== '{') {
        // `sum by (job) (x)`: the label list is skipped by the branch above, then the parenthesis opens.
        pendingCall = false;
        i = j;
        continue;
      }
      if (expr[after] === '{') {
        const end = skipBalanced(expr, after, '{', '}');
        if (end < 0) return { selectors, problem: `an unclosed "{" at character ${after + 1}` };
        if (!quiet()) add(word + expr.slice(after, end).replace(/^\s+/, ''));
        i = end;
        continue;
      }
      if (!quiet()) add(word);
      i = j;
      continue;
    }
    i++;
  }
  return { selectors };
}

/** Splits a matcher list's inside on commas outside strings. */
function splitMatchers(inside: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < inside.length; i++) {
    const c = inside[i]!;
    if (c === '"' || c === "'" || c === '`') {
      const end = skipString(inside, i);
      if (end < 0) return [inside];
      i = end - 1;
    } else if (c === ',') {
      parts.push(inside.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(inside.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

/**
 * The selector a rule's selector is looked up by: its metric name and equality matchers only. A regular
 * expression or negative matcher usually narrows to what is wrong (`code=~"5.."`, `status!="200"`) and is
 * rightly empty on a healthy platform; a misspelled metric or an equality on a vanished job is what makes
 * a rule blind. Undefined when nothing selective remains (`{env!="dev"}`): such a selector is not looked up.
 */
export function lookupSelector(selector: string): string | undefined {
  const brace = selector.indexOf('{');
  const name = (brace < 0 ? selector : selector.slice(0, brace)).trim();
  const inside = brace < 0 ? '' : selector.slice(brace + 1, selector.lastIndexOf('}'));
  const equalities = splitMatchers(inside).filter((m) => /^[A-Za-z_][A-Za-z0-9_]*\s*=\s*["'`]/.test(m));
  if (!name && !equalities.some((m) => /^__name__\s*=/.test(m))) return undefined;
  if (equalities.length === 0) return name;
  return `${name}{${equalities.join(', ')}}`;
}
