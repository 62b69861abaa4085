import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app';
import { principalOf, requireRole } from '../plugins/auth';
import { idempotent } from '../idempotency';
import { isoDate, problemResponses, subjectIdInPath, text } from '../schemas/common';
import { unprocessable } from '../problem';
import { MOBILE_RE } from '../../contract/service-addresses';
import { listAddresses, newAddressId, recordAddress, withdrawAddress } from '../service-addresses';

const subjectParam = z.object({ subjectId: subjectIdInPath });
const addressParam = subjectParam.extend({ addressId: z.string().regex(/^SVA-\d{8}-[0-9A-Z]{10}$/, 'is not a service address id') });

export const serviceAddressView = z.object({
  id: z.string(),
  subjectId: z.string(),
  channel: z.enum(['email', 'sms']),
  address: z.string(),
  consentedAt: z.string(),
  consentDocument: z.string(),
  consentFileId: z.string().nullable(),
  recordedBy: z.string(),
  recordedAt: z.string(),
  withdrawnAt: z.string().nullable(),
  withdrawnBy: z.string().nullable(),
});

const newAddressBody = z.object({
  channel: z.enum(['email', 'sms']),
  address: z.string().min(3).max(254).trim(),
  consentedOn: isoDate.optional(),
  consentDocument: text(300).optional(),
  consentFileId: z.string().max(40).optional(),
});

/**
 * A subject's electronic service addresses with their consent (行政处罚法 Art 61, 送达地址确认书): what `serve_notice` and
 * `serve_decision` with method `electronic` need, and where the documents a case serves itself are sent.
 */
export const serviceAddressRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { db, clock = () => new Date() }) => {
  app.get(
    '/v1/subjects/:subjectId/service-addresses',
    {
      preValidation: requireRole('officer', 'supervisor', 'subject'),
      schema: {
        tags: ['service'],
        summary:
          "A subject's electronic service addresses, newest first, withdrawn ones too (a subject reads only their own; an officer those of a subject their department has a case of, else 404)",
        security: [{ bearer: [] }],
        params: subjectParam,
        response: { 200: z.object({ items: z.array(serviceAddressView) }), ...problemResponses },
      },
    },
    async (request) => ({
      items: await listAddresses(db, { p: principalOf(request), subjectId: request.params.subjectId, now: clock() }),
    }),
  );

  app.post(
    '/v1/subjects/:subjectId/service-addresses',
    {
      preValidation: requireRole('officer', 'supervisor', 'subject'),
      schema: {
        tags: ['service'],
        summary: 'Record an e-mail address or a mainland mobile number the subject consented to be served at',
        description:
          "An officer names the consent's date (`consentedOn`) and the document that gave it (`consentDocument`, optionally its uploaded file " +
          "`consentFileId`, an upload of theirs); the subject's own consent (from the console's confirmation page) is dated now and recorded as " +
          'that page, whatever the body says of the document. An officer records for a subject their department has a case of (else 404). `address`: an e-mail for `email`, `1[3-9]` and nine digits for `sms` (else 422). 409 when the ' +
          'same address is already consented; supervisors are refused (403). Idempotency-Key honoured.',
        security: [{ bearer: [] }],
        params: subjectParam,
        body: newAddressBody,
        response: { 201: serviceAddressView, ...problemResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const valid = body.channel === 'sms' ? MOBILE_RE.test(body.address) : z.email().safeParse(body.address).success;
      // Which form an address takes depends on its channel: a rule across two fields the body's schema does not say, so
      // an address of the wrong form is a 422 (the schema's own refusals are the 400s).
      if (!valid)
        throw unprocessable({ zh: '送达地址格式不正确', en: 'the address is not valid for its channel' }, [
          {
            path: 'body.address',
            message:
              body.channel === 'sms'
                ? { zh: '手机号码应为11位、以13至19开头', en: 'a mainland mobile number: 1[3-9] and nine digits' }
                : { zh: '电子邮箱格式不正确', en: 'not an e-mail address' },
          },
        ]);
      const p = principalOf(request);
      const now = clock();
      return idempotent(db, request, reply, async (claimId) => {
        const id = await claimId(() => newAddressId(now));
        const view = await recordAddress(db, { p, subjectId: request.params.subjectId, body, id, now });
        return { status: 201, body: view, headers: { location: `/v1/subjects/${view.subjectId}/service-addresses/${id}` } };
      });
    },
  );

  app.post(
    '/v1/subjects/:subjectId/service-addresses/:addressId/withdraw',
    {
      preValidation: requireRole('officer', 'supervisor', 'subject'),
      schema: {
        tags: ['service'],
        summary: 'Withdraw consent to an electronic service address: nothing more is served there (409 if already withdrawn)',
        security: [{ bearer: [] }],
        params: addressParam,
        response: { 200: serviceAddressView, ...problemResponses },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const now = clock();
      return idempotent(db, request, reply, async () => ({
        status: 200,
        body: await withdrawAddress(db, { p, ...request.params, now }),
      }));
    },
  );
};
