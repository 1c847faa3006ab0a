// Real certificates for TLS tests, made with Debian's openssl: a CA, and leaf certificates it signs.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpDir } from './project.js';

export interface Pki {
  caCert: string;
  leaf(host: string, days: number): { key: string; cert: string };
  selfSigned(host: string, days: number): { key: string; cert: string };
}

export function makePki(): Pki {
  const dir = tmpDir('pki');
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '30',
    '-subj',
    '/CN=Cutover Test CA',
  );
  let n = 0;
  return {
    caCert: readFileSync(join(dir, 'ca.crt'), 'utf8'),
    leaf(host, days) {
      const name = `leaf${n++}`;
      ssl(
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.csr`,
        '-subj',
        `/CN=${host}`,
      );
      writeFileSync(join(dir, `${name}.ext`), `subjectAltName=DNS:${host}\n`);
      ssl(
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        `${name}.crt`,
        '-days',
        String(days),
        '-extfile',
        `${name}.ext`,
      );
      return {
        key: readFileSync(join(dir, `${name}.key`), 'utf8'),
        cert: readFileSync(join(dir, `${name}.crt`), 'utf8'),
      };
    },
    selfSigned(host, days) {
      const name = `self${n++}`;
      ssl(
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.crt`,
        '-days',
        String(days),
        '-subj',
        `/CN=${host}`,
        '-addext',
        `subjectAltName=DNS:${host}`,
      );
      return {
        key: readFileSync(join(dir, `${name}.key`), 'utf8'),
        cert: readFileSync(join(dir, `${name}.crt`), 'utf8'),
      };
    },
  };
}
