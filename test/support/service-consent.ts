import type { System } from './system';

/**
 * The subject's consent to electronic service (行政处罚法 Art 61), as an officer records it: what `serve_notice` and
 * `serve_decision` with method `electronic` need since issue 24. The address is at example.test, taken by the run's
 * mail catcher (test/setup/global-setup.ts). Once per subject: a second call finds the first.
 */
export async function consentToElectronicService(sys: System, subjectId: string): Promise<string> {
  const id = `SVA-20260101-${subjectId
    .replace(/[^0-9A-Z]/gi, '')
    .toUpperCase()
    .padEnd(10, '0')
    .slice(-10)}`;
  const address = `${subjectId.toLowerCase()}@example.test`;
  await sys.db.serviceAddress.upsert({
    where: { id },
    update: {},
    create: {
      id,
      subjectId,
      channel: 'email',
      address,
      consentedAt: new Date(),
      consentDocument: '送达地址确认书（测试）',
      recordedBy: 'officer-samr-1',
      recordedAt: new Date(),
    },
  });
  return id;
}
