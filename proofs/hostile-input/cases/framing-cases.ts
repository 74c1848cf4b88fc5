/** Framing cases: broken HTTP/1.1 framing, sent as raw bytes. */
import { pick } from '../random';
import type { CaseKit } from './case-kit';

/** Broken HTTP framing, raw bytes. */
export function framingCases(kit: CaseKit): void {
  const { context, random, stagePath: S, add } = kit;
  const { tokens } = context;
  const token = random() < 0.5 ? tokens.valid.all : pick(random, tokens.invalid).token;
  const mayInvoke = token === tokens.valid.all;
  const auth = `Authorization: Bearer ${token}\r\n`;
  const target = `${S}/categories`;
  const body = '{"name":5}';
  const raws: Array<[string, string | Buffer, boolean?]> = [
    ['lower-case method', `get ${target} HTTP/1.1\r\nHost: x\r\n${auth}Connection: close\r\n\r\n`],
    ['unknown method', `FOO ${target} HTTP/1.1\r\nHost: x\r\n${auth}Connection: close\r\n\r\n`],
    ['no Host header', `GET ${target} HTTP/1.1\r\n${auth}Connection: close\r\n\r\n`],
    ['HTTP/1.0', `GET ${target} HTTP/1.0\r\n${auth}\r\n`],
    ['HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
    [
      'raw UTF-8 in the path',
      Buffer.concat([
        Buffer.from(`GET ${target}/`),
        Buffer.from('日本語', 'utf8'),
        Buffer.from(` HTTP/1.1\r\nHost: x\r\n${auth}Connection: close\r\n\r\n`),
      ]),
    ],
    ['space in the path', `GET ${target}/a b HTTP/1.1\r\nHost: x\r\n${auth}Connection: close\r\n\r\n`],
    ['no path', `GET HTTP/1.1\r\nHost: x\r\n${auth}Connection: close\r\n\r\n`],
    [
      'Content-Length and Transfer-Encoding',
      `POST ${target} HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
    ],
    [
      'two Content-Length headers',
      `POST ${target} HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: ${body.length}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n${body}`,
    ],
    [
      'negative Content-Length',
      `POST ${target} HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: -1\r\nConnection: close\r\n\r\n${body}`,
    ],
    [
      'chunked body',
      `POST ${target} HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
    ],
    [
      'broken chunk size',
      `POST ${target} HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n${body}\r\n0\r\n\r\n`,
    ],
    [
      'obsolete line folding',
      `GET ${target} HTTP/1.1\r\nHost: x\r\n${auth}X-Folded: a\r\n b\r\nConnection: close\r\n\r\n`,
    ],
    ['header without a colon', `GET ${target} HTTP/1.1\r\nHost: x\r\n${auth}NoColonHere\r\nConnection: close\r\n\r\n`],
    ['bare LF line endings', `GET ${target} HTTP/1.1\nHost: x\n${auth.replace('\r\n', '\n')}Connection: close\n\n`],
    ['NUL in a header', `GET ${target} HTTP/1.1\r\nHost: x\r\n${auth}X-Nul: a\u0000b\r\nConnection: close\r\n\r\n`],
    [
      'a body cut short (the client hangs up)',
      `POST ${target} HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":"cut`,
      true,
    ],
  ];
  const [label, bytes, halfClose] = pick(random, raws);
  add({
    family: 'framing',
    label: `framing: ${label}${mayInvoke ? '' : ' (invalid token)'}`,
    method: '',
    target: '',
    headers: [],
    raw: Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'latin1'),
    halfClose: halfClose === true,
    mayInvoke,
  });
}
