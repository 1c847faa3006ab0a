// The CLI's habits, shared with the tools around it: one meaning per short flag (kubectl's -f and -n,
// no -e that k6 users read as a variable), --version with the Node in use, --reporter and --output as
// Playwright and Vitest have them, and shell completion generated from the commands.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOOL_VERSION } from '../../src/version.js';
import { makeSimProject, ROOT, runCli, tmpDir } from '../helpers/project.js';

describe('flags', () => {
  it('--version prints the version and the Node in use', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`${TOOL_VERSION} (Node ${process.version})`);
  });

  it('-e is no short flag for an environment (k6 reads it as a variable), -f is manifests as in kubectl', async () => {
    const e = await runCli(['run', '-e', 'target']);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/unknown option '-e'/);
    const f = await runCli(['security', 'posture', '-f', join(ROOT, 'deploy/k8s'), '--json'], { cwd: ROOT });
    expect(f.code, f.stderr).not.toBe(2);
    expect(JSON.parse(f.stdout)).toHaveProperty('profiles');
    const m = await runCli(['security', 'posture', '-m', join(ROOT, 'deploy/k8s')]);
    expect(m.code).toBe(2);
  });

  it('each short flag means one thing across commands', async () => {
    const help = (args: string[]) => runCli([...args, '--help']).then((r) => r.stdout);
    const commands = [
      ['run'],
      ['demo'],
      ['perf'],
      ['watch'],
      ['gate'],
      ['report'],
      ['plan'],
      ['history'],
      ['status'],
      ['sim'],
      ['doctor'],
      ['inventory'],
      ['init'],
      ['baseline', 'record'],
      ['security', 'posture'],
    ];
    const meaning = new Map<string, Set<string>>();
    for (const c of commands)
      for (const [, short, long] of (await help(c)).matchAll(/^\s+(-\w), (--[\w-]+)/gm))
        meaning.set(short!, new Set([...(meaning.get(short!) ?? []), long!]));
    for (const [short, longs] of meaning) expect([...longs], short).toHaveLength(1);
    expect([...(meaning.get('-f') ?? [])]).toEqual(['--manifests']);
    expect([...(meaning.get('-n') ?? [])]).toEqual(['--namespace']);
    expect(meaning.has('-e')).toBe(false);
  });
});

describe('--reporter and --output', () => {
  it('writes only the chosen reports, where --output says; the record is always written', async () => {
    const p = await makeSimProject('reporters');
    const r = await runCli(['demo', '--suite', 'smoke', '--reporter', 'md,junit', '--output', 'out'], {
      cwd: p.dir,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(''); // no console reporter
    const [id] = readdirSync(join(p.dir, 'out'));
    const files = readdirSync(join(p.dir, 'out', id!)).sort();
    expect(files).toEqual(expect.arrayContaining(['run.json', 'report.md', 'report.junit.xml']));
    expect(files).not.toContain('report.html');
    expect(files).not.toContain('report.json');
    expect(existsSync(join(p.dir, 'reports', id!))).toBe(false);

    // The run rendered again, into another folder, as HTML only, with the console summary.
    const again = await runCli(
      ['report', join('out', id!), '--reporter', 'html,console', '--output', 'shared'],
      {
        cwd: p.dir,
      },
    );
    expect(again.code, again.stderr).toBe(0);
    expect(readdirSync(join(p.dir, 'shared'))).toEqual(['report.html']);
    expect(again.stdout).toMatch(/Verdict: GO/);

    // GitHub's job summary only when asked for, and the gate's own record beside the others.
    const summary = join(p.dir, 'summary.md');
    writeFileSync(summary, '');
    const gate = await runCli(
      ['gate', '--run', join('out', id!), '--phase', 'smoke', '--reporter', 'github', '--output', 'out'],
      {
        cwd: p.dir,
        env: { GITHUB_STEP_SUMMARY: summary },
      },
    );
    expect(gate.code, gate.stderr).toBe(0);
    expect(readFileSync(summary, 'utf8')).toMatch(/GO/);
    expect(readdirSync(join(p.dir, 'out')).length).toBe(2);
  });

  it('an --output that names a file is exit 2 naming it, without a stack trace', async () => {
    const p = await makeSimProject('reporters-file');
    writeFileSync(join(p.dir, 'afile'), '');
    const r = await runCli(['demo', '--suite', 'smoke', '--output', 'afile'], { cwd: p.dir });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/cannot create the folder .*afile.*: a file stands where a folder must be/);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)/);
  });

  it('an unknown reporter is a usage error before anything runs', async () => {
    const p = await makeSimProject('reporters-bad');
    const r = await runCli(['demo', '--suite', 'smoke', '--reporter', 'md,pdf'], { cwd: p.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--reporter pdf: unknown reporter; expected console, md, html, json, junit, github/,
    );
    expect(existsSync(join(p.dir, 'reports'))).toBe(false);
  });
});

describe('shell completion', () => {
  /** What bash offers for a command line, through the generated script. */
  function complete(line: string): string[] {
    const dir = tmpDir('completion');
    const script = join(dir, 'cutover.bash');
    const gen = spawnSync(process.execPath, [join(ROOT, 'bin/cutover.js'), 'completion', 'bash']);
    writeFileSync(script, gen.stdout);
    const words = line.split(' ');
    const r = spawnSync(
      'bash',
      [
        '-c',
        `source ${script}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _cutover; printf '%s\\n' "\${COMPREPLY[@]}"`,
      ],
      { cwd: dir },
    );
    return r.stdout.toString().split('\n').filter(Boolean);
  }

  it('bash: commands, subcommands, each command’s flags and files after a path flag', () => {
    expect(complete('cutover r')).toEqual(expect.arrayContaining(['run', 'report']));
    expect(complete('cutover run --e')).toEqual(['--env']);
    expect(complete('cutover run --re')).toEqual(['--reporter']);
    expect(complete('cutover security p')).toEqual(['posture']);
    expect(complete('cutover security posture --man')).toEqual(['--manifests']);
    expect(complete('cutover in')).toEqual(expect.arrayContaining(['init', 'inventory']));
    expect(complete('cutover init --dr')).toEqual(['--dry-run']);
    expect(complete('cutover run --output cutover.')).toEqual(['cutover.bash']);
  });

  it('zsh: a compdef script naming every command and its flags', async () => {
    const r = await runCli(['completion', 'zsh']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^#compdef cutover\n/);
    for (const c of ['demo', 'run', 'perf', 'watch', 'gate', 'report', 'security', 'completion'])
      expect(r.stdout).toMatch(new RegExp(`'${c}:`));
    expect(r.stdout).toMatch(/'--output=\[\]:path:_files'/);
    const bad = await runCli(['completion', 'fish']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown shell; expected bash or zsh/);
  });
});
