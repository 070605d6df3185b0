/** Outbound trust and delivery: failing webhook targets, certificates near expiry. */
import { fmt, ms, num, rate, select, str, window } from './series-math';
import { finding, type Detector } from './snapshot';

export const webhookFailing: Detector = (s) => {
  const failRate = select(s, 'alerting_notification_failures_total')
    .map((x) => rate(window(x.points, s.at, 300_000)) ?? 0)
    .reduce((a, b) => a + b, 0);
  return (s.tables.webhook_targets ?? []).flatMap((t) => {
    const attempts = num(t['attempts']);
    const failures = num(t['failures']);
    const dead = num(t['dead']);
    if (attempts < 3 || (failures / attempts < 0.5 && dead === 0)) return [];
    return [
      finding({
        detector: 'webhook-failing',
        severity: dead > 0 || failures === attempts ? 'critical' : 'warning',
        subject: `webhook/${str(t['subscription_id'])}`,
        title: `Webhook ${str(t['url'])} fails ${failures} of ${attempts} attempts${dead ? `, ${dead} dead-lettered` : ''}`,
        confidence: 0.9,
        suggestion: `Last error: ${str(t['last_error']) || 'unknown'}. Fix or disable the target; deliveries retry with back-off and dead-letter after the last attempt.`,
        evidence: [
          {
            kind: 'rows',
            source: 'webhook_targets (webhook_attempts of the last 15 min by subscription)',
            detail: `${failures}/${attempts} failed`,
            rows: [t],
          },
          ...(failRate > 0
            ? [
                {
                  kind: 'metric' as const,
                  source: 'sum(rate(alerting_notification_failures_total[5m]))',
                  detail: `${fmt(failRate, 2)} failures/s`,
                },
              ]
            : []),
        ],
      }),
    ];
  });
};

export const certificateExpiry: Detector = (s) =>
  (s.tables.certificates ?? []).flatMap((c) => {
    const daysLeft = (ms(c['not_after']) - s.at) / 86_400_000;
    if (!Number.isFinite(daysLeft) || daysLeft >= 21) return [];
    return [
      finding({
        detector: 'certificate-expiry',
        severity: daysLeft < 7 ? 'critical' : 'warning',
        subject: str(c['target']),
        title:
          daysLeft < 0
            ? `Certificate of ${str(c['target'])} expired ${fmt(-daysLeft, 1)} days ago`
            : `Certificate of ${str(c['target'])} expires in ${fmt(daysLeft, 1)} days`,
        confidence: 0.99,
        suggestion:
          'Renew it (cert-manager, or the broker/ingress secret) before clients refuse the TLS handshake.',
        evidence: [
          {
            kind: 'rows',
            source: 'certificates (TLS handshake with each ADVISOR_TLS_TARGETS entry)',
            detail: `not after ${str(c['not_after'])}`,
            rows: [c],
          },
        ],
      }),
    ];
  });
