import { describe, expect, it } from 'vitest';
import { FileReply } from './api-handler.ts';

describe('FileReply', () => {
  it('answers bytes base64-encoded, flagged so that API Gateway decodes them', () => {
    const bytes = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff, 0x80]);
    const result = new FileReply(bytes, 'application/zip', 'a.zip').result();
    expect(result.isBase64Encoded).toBe(true);
    expect([...Buffer.from(result.body ?? '', 'base64')]).toEqual([...bytes]);
  });

  it('answers text as it is', () => {
    const result = new FileReply('a,b\n1,2\n', 'text/csv; charset=utf-8', 'a.csv').result();
    expect(result.isBase64Encoded).toBeUndefined();
    expect(result.body).toBe('a,b\n1,2\n');
  });

  it('names the file in ASCII and, for Chinese names, in UTF-8 as well', () => {
    const result = new FileReply('x', 'text/plain', '统计 "a".xlsx').result();
    const disposition = String(result.headers?.['content-disposition']);
    expect(disposition).toContain('filename="__ _a_.xlsx"');
    expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent('统计 "a".xlsx')}`);
  });
});
