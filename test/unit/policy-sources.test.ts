/** Every policy entry says where it comes from and how sure that is, citing the rules in force on the date asked. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { confidences, defaultPolicy, resolvePolicy, type Policy } from '../../domain/calendar';
import { repealedCitations } from '../../domain/legal-sources';

const entries = (p: Policy) => Object.values(p) as { key: string; source: string; confidence: string }[];

describe('policy sources', () => {
  it.each(['2025-01-01', '2026-03-31', '2026-04-01', '2026-12-01', undefined])('every entry on %s has a source and a confidence', (on) => {
    const p = defaultPolicy(on);
    expect(entries(p).length).toBeGreaterThan(20);
    for (const e of entries(p)) {
      expect({ key: e.key, source: e.source.trim().length > 0 }).toEqual({ key: e.key, source: true });
      expect(confidences).toContain(e.confidence);
    }
  });

  it('cites no repealed rule on a date after its repeal, and the old rule before', () => {
    for (const on of ['2026-04-01', '2026-12-01']) {
      for (const e of entries(defaultPolicy(on)))
        expect({ key: e.key, repealed: repealedCitations(e.source, on) }).toEqual({ key: e.key, repealed: [] });
    }
    expect(defaultPolicy('2026-04-01').publicity_serious.source).toContain('令第36号');
    expect(defaultPolicy('2026-03-31').repair_decide.source).toContain('第58号');
    expect(defaultPolicy('2026-03-31').repair_decide.source).not.toContain('令第36号');
  });

  it('lists in the README exactly the entries that are unverified', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const block = readme.slice(readme.indexOf('<!-- unverified-policy -->'), readme.indexOf('<!-- /unverified-policy -->'));
    const listed = [...block.matchAll(/^- `([a-z_]+)`/gm)].map((m) => m[1]).sort();
    const unverified = entries(defaultPolicy())
      .filter((e) => e.confidence === 'unverified')
      .map((e) => e.key)
      .sort();
    expect(listed).toEqual(unverified);
  });

  it('takes an override naming its act as text, and one that names none as unverified', () => {
    const named = resolvePolicy(
      defaultPolicy(),
      [{ department: 'ZY-SAMR', source: '某部门规定第七条', values: { repair_decide: { amount: 7 } } }],
      { procedure: 'repair', department: 'ZY-SAMR' },
    );
    expect(named.repair_decide).toMatchObject({ amount: 7, source: '某部门规定第七条', confidence: 'text' });
    expect((named.repair_decide as { note?: string }).note).toBeUndefined();
    const bare = resolvePolicy(defaultPolicy(), [{ values: { statement_window: { amount: 7 } } }], {
      procedure: 'listing',
      department: 'ZY-SAMR',
    });
    expect(bare.statement_window).toMatchObject({ amount: 7, confidence: 'unverified' });
    const vouched = resolvePolicy(defaultPolicy(), [{ values: { hearing_notice: { amount: 7, confidence: 'practice' } } }], {
      procedure: 'listing',
      department: 'ZY-SAMR',
    });
    expect(vouched.hearing_notice.confidence).toBe('practice');
  });
});
