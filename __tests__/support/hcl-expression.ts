/**
 * Evaluates the Terraform expressions the stack writes for values Terraform computes at apply time — here the
 * consumer secrets' `secret_string`, `${jsonencode({...})}` — with the resource attributes they read replaced by
 * given values: what Terraform would write once those attributes are known. Only the part of the expression
 * language the stack uses: `jsonencode(...)`, object and tuple constructors, quoted templates with `${...}`
 * interpolations, numbers, `true`/`false`/`null`, and attribute references. Anything else fails loudly. (No npm
 * package evaluates HCL expressions, and Terraform's own `console` would tie the client tests to a Terraform
 * binary.)
 */
export type HclValue = string | number | boolean | null | HclValue[] | { [key: string]: HclValue };

const TRAVERSAL = /^[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)+/;

class Parser {
  private at = 0;

  constructor(
    private readonly text: string,
    private readonly references: Readonly<Record<string, HclValue>>,
  ) {}

  parseAll(): HclValue {
    const value = this.expression();
    this.space();
    if (this.at !== this.text.length) this.fail('unexpected text');
    return value;
  }

  private fail(why: string): never {
    throw new Error(`HCL expression: ${why} at ${this.at}: ${this.text.slice(this.at, this.at + 40)}`);
  }

  private space(): void {
    while (/\s/.test(this.text[this.at] ?? '')) this.at++;
  }

  private expect(token: string): void {
    this.space();
    if (!this.text.startsWith(token, this.at)) this.fail(`expected ${token}`);
    this.at += token.length;
  }

  private expression(): HclValue {
    this.space();
    const rest = this.text.slice(this.at);
    const char = rest[0];
    if (char === '{') return this.object();
    if (char === '[') return this.tuple();
    if (char === '"') return this.template();
    const number = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(rest);
    if (number) {
      this.at += number[0].length;
      return Number(number[0]);
    }
    if (rest.startsWith('jsonencode(')) {
      this.at += 'jsonencode('.length;
      const value = this.expression();
      this.expect(')');
      return JSON.stringify(value);
    }
    const keyword = /^(true|false|null)\b/.exec(rest);
    if (keyword) {
      this.at += keyword[0].length;
      return keyword[0] === 'null' ? null : keyword[0] === 'true';
    }
    const traversal = TRAVERSAL.exec(rest);
    if (traversal) {
      this.at += traversal[0].length;
      if (!(traversal[0] in this.references)) this.fail(`no value given for ${traversal[0]}`);
      return this.references[traversal[0]];
    }
    return this.fail('unsupported expression');
  }

  private object(): HclValue {
    this.expect('{');
    const object: Record<string, HclValue> = {};
    for (;;) {
      this.space();
      if (this.text[this.at] === '}') break;
      const key = this.text[this.at] === '"' ? this.template() : this.identifier();
      this.space();
      if (this.text[this.at] !== '=' && this.text[this.at] !== ':') this.fail('expected = or :');
      this.at++;
      object[String(key)] = this.expression();
      this.space();
      if (this.text[this.at] === ',') this.at++;
    }
    this.expect('}');
    return object;
  }

  private tuple(): HclValue {
    this.expect('[');
    const items: HclValue[] = [];
    for (;;) {
      this.space();
      if (this.text[this.at] === ']') break;
      items.push(this.expression());
      this.space();
      if (this.text[this.at] === ',') this.at++;
    }
    this.expect(']');
    return items;
  }

  private identifier(): string {
    const match = /^[A-Za-z_][\w-]*/.exec(this.text.slice(this.at));
    if (!match) this.fail('expected a name');
    this.at += match[0].length;
    return match[0];
  }

  /** A quoted template: escapes and `${...}` interpolations, which render their value as a string. */
  private template(): string {
    this.expect('"');
    let out = '';
    for (;;) {
      const char = this.text[this.at];
      if (char === undefined) this.fail('unterminated string');
      if (char === '"') break;
      if (char === '\\') {
        const escaped = this.text[this.at + 1];
        const map: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
        if (!(escaped in map)) this.fail(`unsupported escape \\${escaped}`);
        out += map[escaped];
        this.at += 2;
      } else if (this.text.startsWith('$${', this.at)) {
        out += '${';
        this.at += 3;
      } else if (this.text.startsWith('${', this.at)) {
        this.at += 2;
        const value = this.expression();
        this.expect('}');
        if (typeof value === 'object' && value !== null) this.fail('cannot interpolate a collection');
        out += String(value);
      } else {
        out += char;
        this.at++;
      }
    }
    this.at++;
    return out;
  }
}

/**
 * The value of a synthesized string holding one Terraform template (`"${...}"`), with `references` (traversal →
 * value, e.g. `aws_x.name.id`) standing in for what Terraform knows only after apply.
 */
export function evaluateTemplate(synthesized: string, references: Readonly<Record<string, HclValue>>): HclValue {
  const match = /^\$\{([\s\S]*)\}$/.exec(synthesized);
  if (!match) throw new Error(`Not a single Terraform template: ${synthesized.slice(0, 60)}`);
  return new Parser(match[1], references).parseAll();
}
