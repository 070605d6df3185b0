/**
 * The original Go API's error body, kept by the Gin-compatible /iot routes (the rest of the
 * api answers with server-kit's ErrorBody).
 */
import type { ErrorBodyOverride } from '@iotmon/server-kit';

export interface GinErrorBody {
  Status: number;
  Type: string;
  PodName: string;
  NodeName: string;
  Message: string[];
}

export function isGinPath(url: string): boolean {
  return url === '/iot' || url.startsWith('/iot/') || url.startsWith('/iot?');
}

export function ginErrorBody(pod: { podName: string; nodeName: string }): ErrorBodyOverride {
  return ({ url, status, error }): GinErrorBody | undefined => {
    if (!isGinPath(url)) return undefined;
    const messages = error?.errors?.length
      ? error.errors.map((p) => `${p.field} ${p.reason}`)
      : [error?.message ?? 'internal error'];
    return {
      Status: status,
      Type: error ? 'Bad Request' : 'Internal Server Error',
      PodName: pod.podName,
      NodeName: pod.nodeName,
      Message: messages,
    };
  };
}
