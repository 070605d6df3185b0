/**
 * Replaces device ids, device names and locations with stable pseudonyms (device-1, name-1,
 * location-1) in every text that leaves the process for the LLM, and maps them back in what
 * comes in (tool arguments, the answer). One instance per question: pseudonyms do not leak
 * across questions.
 */
import type { Snapshot } from '../detectors';

type Kind = 'device' | 'name' | 'location';

export class Pseudonymiser {
  private readonly forward = new Map<string, string>();
  private readonly back = new Map<string, string>();
  private readonly counts: Record<Kind, number> = { device: 0, name: 0, location: 0 };
  private pattern?: RegExp;

  add(kind: Kind, value: string | null | undefined): void {
    if (!value || value.length < 2 || this.forward.has(value)) return;
    const alias = `${kind}-${++this.counts[kind]}`;
    this.forward.set(value, alias);
    this.back.set(alias, value);
    this.pattern = undefined;
  }

  /** Every identifier the snapshot's tables and findings carry. */
  static fromSnapshot(s: Snapshot | undefined, extraDeviceIds: string[] = []): Pseudonymiser {
    const p = new Pseudonymiser();
    for (const id of extraDeviceIds) p.add('device', id);
    if (!s) return p;
    for (const rows of Object.values(s.tables))
      for (const r of rows ?? []) p.add('device', asString(r['device_id']));
    for (const r of s.tables.devices ?? []) {
      p.add('device', asString(r['id']));
      p.add('name', asString(r['name']));
      p.add('location', asString(r['location']));
    }
    for (const x of s.series) p.add('device', x.labels['device_id'] ?? x.labels['device']);
    return p;
  }

  /** Real → pseudonym, longest identifiers first, only where they stand as a whole token. */
  hide(text: string): string {
    const re = this.regex(this.forward);
    return re ? text.replace(re, (m) => this.forward.get(m) ?? m) : text;
  }

  /** Pseudonym → real, for what the model answers or asks a tool. */
  reveal(text: string): string {
    const re = this.regex(this.back);
    return re ? text.replace(re, (m) => this.back.get(m) ?? m) : text;
  }

  private regex(map: Map<string, string>): RegExp | undefined {
    if (!map.size) return undefined;
    if (map === this.forward && this.pattern) return this.pattern;
    const alts = [...map.keys()].sort((a, b) => b.length - a.length).map(escape);
    const re = new RegExp(`(?<![A-Za-z0-9_.-])(?:${alts.join('|')})(?![A-Za-z0-9_-])`, 'g');
    if (map === this.forward) this.pattern = re;
    return re;
  }
}

const asString = (v: unknown) => (typeof v === 'string' ? v : undefined);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
