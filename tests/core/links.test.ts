import { describe, expect, it } from 'vitest';
import { linkify, safeHref, type Segment } from '../../src/core/text/links';

const links = (segments: Segment[]) => segments.filter((s) => s.kind === 'link');
const joined = (segments: Segment[]) => segments.map((s) => s.text).join('');

describe('linkify', () => {
  it('returns plain text unchanged as one segment', () => {
    expect(linkify('hello there')).toEqual([{ kind: 'text', text: 'hello there' }]);
    expect(linkify('')).toEqual([]);
  });

  it('links http, https and www URLs', () => {
    expect(linkify('see https://example.com/a?b=1#c now')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/a?b=1#c', href: 'https://example.com/a?b=1#c' },
      { kind: 'text', text: ' now' },
    ]);
    expect(links(linkify('http://x.org'))).toEqual([{ kind: 'link', text: 'http://x.org', href: 'http://x.org/' }]);
    expect(links(linkify('go to www.example.org today'))).toEqual([
      { kind: 'link', text: 'www.example.org', href: 'https://www.example.org/' },
    ]);
  });

  it('excludes trailing punctuation from URLs', () => {
    for (const tail of ['.', ',', '!', '?', ':', ';', '…', '"', "'", ')', '.)', '!!']) {
      const segs = linkify(`look at https://example.com/page${tail}`);
      expect(links(segs)).toEqual([{ kind: 'link', text: 'https://example.com/page', href: 'https://example.com/page' }]);
      expect(joined(segs)).toBe(`look at https://example.com/page${tail}`);
    }
  });

  it('keeps balanced brackets inside URLs', () => {
    const segs = linkify('(https://en.wikipedia.org/wiki/Foo_(bar))');
    expect(links(segs).map((s) => s.text)).toEqual(['https://en.wikipedia.org/wiki/Foo_(bar)']);
    expect(joined(segs)).toBe('(https://en.wikipedia.org/wiki/Foo_(bar))');
  });

  it('never links javascript: or data: URLs', () => {
    for (const text of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(document.cookie)',
      'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
    ]) {
      expect(links(linkify(text))).toEqual([]);
      expect(joined(linkify(text))).toBe(text);
    }
    // A javascript: prefix glued to a URL does not smuggle itself into the href.
    for (const s of links(linkify('javascript:alert(1)//https://evil.example'))) {
      expect(s.href.startsWith('https://')).toBe(true);
    }
  });

  it('keeps HTML as a text segment', () => {
    const html = '<img src=x onerror=alert(1)>';
    expect(linkify(html)).toEqual([{ kind: 'text', text: html }]);
    const segs = linkify('<a href="javascript:alert(1)">https://ok.example</a>');
    expect(links(segs)).toEqual([{ kind: 'link', text: 'https://ok.example', href: 'https://ok.example/' }]);
    expect(joined(segs)).toBe('<a href="javascript:alert(1)">https://ok.example</a>');
  });

  it('stops URLs at angle brackets and quotes', () => {
    expect(links(linkify('<https://example.com>')).map((s) => s.text)).toEqual(['https://example.com']);
    expect(links(linkify('"https://example.com"')).map((s) => s.text)).toEqual(['https://example.com']);
  });

  it('links e-mail addresses as mailto', () => {
    expect(links(linkify('mail me: asha@example.com.'))).toEqual([
      { kind: 'link', text: 'asha@example.com', href: 'mailto:asha@example.com' },
    ]);
  });

  it('does not link a bare scheme or www. alone', () => {
    expect(links(linkify('https:// and www. and http://.'))).toEqual([]);
  });

  it('handles several links and multi-line, RTL text', () => {
    const text = 'مرحبا https://a.example\nשלום www.b.example, bye';
    const segs = linkify(text);
    expect(links(segs).map((s) => s.href)).toEqual(['https://a.example/', 'https://www.b.example/']);
    expect(joined(segs)).toBe(text);
  });

  it('every segment joins back to the input and every href is allowed', () => {
    const samples = [
      'x https://a.b/c?d=(e) y www.f.g/h. i@j.kl javascript:x data:y <script>alert(1)</script>',
      'http://[::1]:8080/p, https://ex.am/ple.',
      '))))https://((((',
    ];
    for (const text of samples) {
      const segs = linkify(text);
      expect(joined(segs)).toBe(text);
      for (const s of links(segs)) expect(s.href).toMatch(/^(https?:\/\/|mailto:)/);
    }
  });
});

describe('safeHref', () => {
  it('allows only http, https, mailto and tel', () => {
    expect(safeHref('https://a.example')).toBe('https://a.example/');
    expect(safeHref('tel:+4917612345')).toBe('tel:+4917612345');
    expect(safeHref('mailto:a@b.c')).toBe('mailto:a@b.c');
    expect(safeHref('javascript:alert(1)')).toBeUndefined();
    expect(safeHref(' javascript:alert(1)')).toBeUndefined();
    expect(safeHref('data:text/html,x')).toBeUndefined();
    expect(safeHref('not a url')).toBeUndefined();
  });
});
