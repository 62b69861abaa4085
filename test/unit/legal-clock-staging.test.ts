/**
 * The legal clocks stage an action's deadline changes and the next recorded change takes them all (pure: no
 * activity is called by staging, so the clocks run here outside a workflow).
 */
import { CaseJournal } from '../../workflows/common/case-journal';
import { EACH_PATCH_ASKED } from '../../workflows/common/patches';
import { LegalClocks, SYSTEM } from '../../workflows/common/legal-clock';
import type { DeadlineState } from '../../workflows/common/case-types';
import { deadlineState } from '../support/deadline-fixture';

function deadline(kind: string, party: 'authority' | 'subject' = 'authority'): DeadlineState {
  return deadlineState('C-1', kind, { party });
}

function setup() {
  const journal = CaseJournal.opening(
    {
      id: 'C-1',
      procedure: 'objection',
      state: 'submitted',
      subject: { kind: 'company', id: '91620700MA71Y00240', name: 'x' } as never,
      department: 'ZY-DRC',
      createdBy: 'u',
      details: {},
      openedAt: '2026-12-01T02:00:00.000Z',
    },
    EACH_PATCH_ASKED,
  );
  const clocks = new LegalClocks(journal, 'ZY-DRC');
  const commit = (action: string) => {
    journal.record({ actor: SYSTEM, at: '2026-12-01T03:00:00.000Z', action, detail: {}, patch: { deadlines: clocks.takeChanges() } });
  };
  return { journal, clocks, commit };
}

describe('LegalClocks staging', () => {
  it('shows staged changes at once and records them with the next change, in place', () => {
    const { journal, clocks, commit } = setup();
    clocks.put(deadline('forward'));
    clocks.put(deadline('window', 'subject'));
    expect(journal.snapshot.deadlines).toEqual([]);
    expect(clocks.all.map((d) => d.kind)).toEqual(['forward', 'window']);
    commit('open');
    expect(journal.snapshot.deadlines.map((d) => `${d.kind}:${d.status}`)).toEqual(['forward:open', 'window:open']);

    clocks.met('forward', '2026-12-02T01:00:00.000Z');
    expect(clocks.find('forward')?.status).toBe('met');
    expect(journal.snapshot.deadlines[0]!.status).toBe('open');
    commit('forward');
    // The changed deadline keeps its place, so the latest of a kind is still the one found.
    expect(journal.snapshot.deadlines.map((d) => `${d.kind}:${d.status}`)).toEqual(['forward:met', 'window:open']);
    expect(journal.snapshot.deadlines[0]!.metAt).toBe('2026-12-02T01:00:00.000Z');
  });

  it('drops what a refused action staged', () => {
    const { journal, clocks, commit } = setup();
    clocks.put(deadline('forward'));
    commit('open');
    clocks.cancel('forward', '2026-12-02T01:00:00.000Z');
    clocks.discardChanges();
    expect(clocks.find('forward')?.status).toBe('open');
    commit('next');
    expect(journal.snapshot.deadlines[0]!.status).toBe('open');
  });

  it('does not stage meeting a deadline that no longer runs', () => {
    const { journal, clocks, commit } = setup();
    clocks.put({ ...deadline('window', 'subject'), status: 'lapsed', closedAt: '2026-12-09T00:00:00.000Z' });
    commit('open');
    clocks.met('window', '2026-12-10T00:00:00.000Z');
    clocks.met('absent', '2026-12-10T00:00:00.000Z');
    expect(clocks.takeChanges()).toEqual(journal.snapshot.deadlines);
  });

  it('closes every running deadline as the closing says, leaving ended ones alone', () => {
    const { journal, clocks, commit } = setup();
    clocks.put(deadline('forward'));
    clocks.put({ ...deadline('supplement', 'subject'), status: 'suspended' });
    clocks.put({
      ...deadline('mark'),
      status: 'met',
      metAt: '2026-12-01T02:00:00.000Z',
      closedAt: '2026-12-01T02:00:00.000Z',
    });
    commit('open');
    clocks.closeRunning('2026-12-03T00:00:00.000Z', (d) => (d.party === 'authority' ? 'met' : 'cancelled'));
    commit('decide');
    expect(journal.snapshot.deadlines.map((d) => `${d.kind}:${d.status}:${d.closedAt}`)).toEqual([
      'forward:met:2026-12-03T00:00:00.000Z',
      'supplement:cancelled:2026-12-03T00:00:00.000Z',
      'mark:met:2026-12-01T02:00:00.000Z',
    ]);
  });
});
