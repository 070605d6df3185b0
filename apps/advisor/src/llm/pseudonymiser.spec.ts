import { Pseudonymiser } from './pseudonymiser';

describe('Pseudonymiser', () => {
  it('replaces whole identifiers only, and maps them back', () => {
    const p = new Pseudonymiser();
    p.add('device', 'edge-1');
    p.add('device', 'edge-10');
    p.add('location', 'Basement B2');
    const hidden = p.hide(
      'edge-10 and edge-1 in Basement B2; edge-100 is unknown; [device-silent:edge-1]',
    );
    expect(hidden).toBe(
      'device-2 and device-1 in location-1; edge-100 is unknown; [device-silent:device-1]',
    );
    expect(p.reveal(hidden)).toBe(
      'edge-10 and edge-1 in Basement B2; edge-100 is unknown; [device-silent:edge-1]',
    );
  });
});
