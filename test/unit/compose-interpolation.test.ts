// Compose's interpolation forms one by one, against compose-go's `template` package (the reference
// `docker compose` runs), and the `.env` parser that feeds it: FOO is set, EMPTY is set but empty,
// UNSET is not set.
/* biome-ignore-all lint/suspicious/noTemplateCurlyInString: Compose interpolation, not templates */
import { describe, expect, it } from 'vitest';
import { DotenvError, envFileNames, parseDotenv } from '../../src/core/inventory/dotenv.js';
import {
  InterpolationError,
  interpolate,
  interpolateValues,
  lookupIn,
} from '../../src/core/inventory/interpolation.js';

const vars = lookupIn({ FOO: 'first', EMPTY: '', B: '5.7' });
const run = (template: string) => {
  const unset: string[] = [];
  const value = interpolate(template, vars, (n) => unset.push(n));
  return { value, unset };
};
const failure = (template: string) => {
  try {
    interpolate(template, vars);
  } catch (error) {
    expect(error).toBeInstanceOf(InterpolationError);
    return error as InterpolationError;
  }
  throw new Error(`${template} interpolated without an error`);
};

describe('Compose interpolation, each form', () => {
  it.each([
    // $VAR and ${VAR}: the value; unset is "" with a warning
    ['$FOO', 'first'],
    ['${FOO}', 'first'],
    ['$FOO-bar', 'first-bar'],
    ['${EMPTY}', ''],
    ['x${UNSET}y', 'xy'],
    // ${VAR:-default}: default when unset or empty
    ['${FOO:-d}', 'first'],
    ['${EMPTY:-d}', 'd'],
    ['${UNSET:-d}', 'd'],
    // ${VAR-default}: default only when unset
    ['${FOO-d}', 'first'],
    ['${EMPTY-d}', ''],
    ['${UNSET-d}', 'd'],
    // ${VAR:+replacement}: replacement when set and non-empty
    ['${FOO:+r}', 'r'],
    ['${EMPTY:+r}', ''],
    ['${UNSET:+r}', ''],
    // ${VAR+replacement}: replacement when set, even empty
    ['${FOO+r}', 'r'],
    ['${EMPTY+r}', 'r'],
    ['${UNSET+r}', ''],
    // ${VAR:?err} / ${VAR?err} when they do not stop
    ['${FOO:?err}', 'first'],
    ['${FOO?err}', 'first'],
    ['${EMPTY?err}', ''],
    // nesting, operands interpolated
    ['${A:-${B:-5.7}}', '5.7'],
    ['${UNSET:-${UNSET2:-5.7}}', '5.7'],
    ['${UNSET:-${FOO}}', 'first'],
    ['${UNSET-$FOO}', 'first'],
    ['${EMPTY:-${FOO} ${FOO}}', 'first first'],
    ['${FOO:+[${FOO}]}', '[first]'],
    ['mysql:${UNSET:-${UNSET2:-5.7}}-debian', 'mysql:5.7-debian'],
    // the first operator after the name decides; the rest is operand text
    ['${EMPTY:-/non:-alphanumeric}', '/non:-alphanumeric'],
    ['${UNSET-myerror?msg}', 'myerror?msg'],
    ['${FOO?bar-baz}', 'first'],
    ['${UNSET:-{"a":1}}', '{"a":1}'],
    ['${UNSET:-x}}', 'x}'],
    // $$ is a literal $ and stops interpolation
    ['$$', '$'],
    ['$${FOO}', '${FOO}'],
    ['$$FOO', '$FOO'],
    ['$$(cat file)', '$(cat file)'],
    ['$$$FOO', '$first'],
    ['${UNSET:-$$FOO}', '$FOO'],
    // a $ not followed by a name, { or $ is kept
    ['echo $(date) $1 $ $', 'echo $(date) $1 $ $'],
    ['price: 5$', 'price: 5$'],
    ['$}', '$}'],
    // names are ASCII letters, digits and _, not starting with a digit, any case
    ['$foo_1', ''],
    ['$FOO.bar', 'first.bar'],
  ])('%s → %j', (template, expected) => {
    expect(run(template).value).toBe(expected);
  });

  it('warns about an unset variable only where Compose substitutes "" for it', () => {
    expect(run('${UNSET}').unset).toEqual(['UNSET']);
    expect(run('$UNSET').unset).toEqual(['UNSET']);
    expect(run('${UNSET:-d} ${UNSET-d} ${UNSET:+r} ${UNSET+r}').unset).toEqual([]);
    // operands are interpolated only when used (compose-go's lazy defaults)
    expect(run('${FOO:-${UNSET}}').unset).toEqual([]);
    expect(run('${UNSET:-${UNSET2}}').unset).toEqual(['UNSET2']);
    expect(run('${FOO?${UNSET}}').unset).toEqual([]);
  });

  it('stops on a required variable without a value, naming it and its message', () => {
    const unset = failure('mysql:${DB_TAG:?set DB_TAG to the MySQL version}');
    expect(unset.message).toBe(
      'required variable DB_TAG is missing a value: set DB_TAG to the MySQL version',
    );
    expect(unset.variable).toBe('DB_TAG');
    expect(failure('${EMPTY:?must not be empty}').message).toBe(
      'required variable EMPTY is missing a value: must not be empty',
    );
    expect(failure('${UNSET?}').message).toBe('required variable UNSET is missing a value');
    expect(failure('${UNSET:?}').message).toBe('required variable UNSET is missing a value');
    // the message is interpolated; a required variable nested in a default is required when used
    expect(failure('${UNSET:?need ${FOO}}').message).toBe(
      'required variable UNSET is missing a value: need first',
    );
    expect(failure('${UNSET:-${INNER:?inner}}').variable).toBe('INNER');
    expect(run('${FOO:-${INNER:?inner}}').value).toBe('first');
  });

  it.each(['${', '${}', '${ }', '${ foo}', '${foo }', '${foo!}', '${FOO:x}', '${UNSET:-${B}', 'a ${FOO'])(
    'refuses the malformed %j as Compose does',
    (template) => {
      expect(failure(template).message).toMatch(
        /^invalid interpolation format .*a literal \$ is written \$\$/,
      );
    },
  );

  it('does not take a variable from the prototype of a plain object', () => {
    expect(interpolate('${constructor}${toString:-d}', lookupIn({}))).toBe('d');
  });

  it('interpolates values, never keys, and names the path of a value that fails', () => {
    const doc = {
      services: { db: { image: 'mysql:${B}', environment: { $FOO: '$FOO' }, ports: [3306, '${B}'] } },
    };
    expect(interpolateValues(doc, vars)).toEqual({
      services: { db: { image: 'mysql:5.7', environment: { $FOO: 'first' }, ports: [3306, '5.7'] } },
    });
    expect(() => interpolateValues({ services: { db: { ports: ['${PORT:?pick a port}'] } } }, vars)).toThrow(
      'services.db.ports[0]: required variable PORT is missing a value: pick a port',
    );
  });
});

describe('the .env file', () => {
  const env = lookupIn({ FROM_SHELL: 'shell' });
  const read = (text: string) => Object.fromEntries(parseDotenv(text, { lookup: env, interpolate: true }));

  it('reads comments, export, quotes and escapes as Compose does', () => {
    const text = [
      '\uFEFF# a comment',
      'PLAIN=value # an inline comment',
      'HASH=pass#word',
      'TABBED=a\t#kept',
      'export EXPORTED=1',
      "SINGLE='keep # and $FROM_SHELL and \\n'",
      'DOUBLE="line\\nnext # kept ${FROM_SHELL}"',
      'ESCAPED="cost \\$5 \\"q\\""',
      'MULTI="one',
      'two"',
      'YAML_STYLE: yes',
      '  SPACED  =  padded  ',
      'EMPTY=',
      'DUP=first',
      'DUP=second',
      'CRLF=value\r',
    ].join('\n');
    expect(read(text)).toEqual({
      PLAIN: 'value',
      HASH: 'pass#word',
      TABBED: 'a\t#kept',
      EXPORTED: '1',
      SINGLE: 'keep # and $FROM_SHELL and \\n',
      DOUBLE: 'line\nnext # kept shell',
      ESCAPED: 'cost $5 "q"',
      MULTI: 'one\ntwo',
      YAML_STYLE: 'yes',
      SPACED: 'padded',
      EMPTY: '',
      DUP: 'second',
      CRLF: 'value',
    });
  });

  it('interpolates from the environment first, then earlier lines; a bare name inherits', () => {
    expect(
      read('A=1\nB=${A}-${FROM_SHELL}\nFROM_SHELL=file\nC=$FROM_SHELL\nFROM_SHELL\nNOT_IN_ENV\n'),
    ).toEqual({
      A: '1',
      B: '1-shell',
      FROM_SHELL: 'shell',
      C: 'shell',
    });
  });

  it('names the line Compose would refuse', () => {
    expect(() => read('A=1\nB=${MISSING:?set it}\n')).toThrow(
      'line 2: required variable MISSING is missing a value: set it',
    );
    expect(() => read('A=1\n\nBAD KEY=1\n')).toThrow(
      new DotenvError('line 3: a variable name cannot contain a space'),
    );
    expect(() => read('A="open\n')).toThrow('line 1: unterminated quoted value for A');
    expect(() => read('A!=1\n')).toThrow(/line 1: unexpected character "!"/);
  });

  it('gives env_file names without interpolating their values', () => {
    expect(
      envFileNames('# c\nexport API_TOKEN=abc\nLOG_LEVEL="debug # x"\nNEEDS=${UNSET:?}\nBARE\n'),
    ).toEqual(['API_TOKEN', 'LOG_LEVEL', 'NEEDS', 'BARE']);
  });
});
