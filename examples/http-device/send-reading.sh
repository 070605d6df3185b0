#!/usr/bin/env bash
# A device without MQTT: posts one reading over HTTP with its device key and retries until
# the api answers 2xx (sent after the commit, so that is the acknowledgement). The same seq
# on a retry makes it idempotent. Usage:
#   API_URL=http://localhost:3000 DEVICE_ID=lab-3 DEVICE_KEY=... SEQ=1 \
#     ./send-reading.sh temperature 21.5
set -euo pipefail
sensor=${1:?usage: send-reading.sh SENSOR VALUE}
value=${2:?usage: send-reading.sh SENSOR VALUE}
: "${DEVICE_ID:?set DEVICE_ID}" "${DEVICE_KEY:?set DEVICE_KEY}" "${SEQ:?set SEQ (per sensor, never re-used)}"
api=${API_URL:-http://localhost:3000}
ts=$(($(date +%s%N) / 1000000))
body=$(printf '[{"deviceId":"%s","sensor":"%s","value":%s,"ts":%s,"seq":%s}]' \
  "$DEVICE_ID" "$sensor" "$value" "$ts" "$SEQ")
for attempt in 1 2 3 4 5; do
  status=$(curl -sS -o /tmp/send-reading.$$ -w '%{http_code}' -X POST "$api/readings" \
    -H "x-api-key: $DEVICE_KEY" -H 'content-type: application/json' -d "$body" || echo 000)
  case $status in
    2??) cat /tmp/send-reading.$$; echo; rm -f /tmp/send-reading.$$; exit 0 ;;
    4??) echo "refused ($status): $(cat /tmp/send-reading.$$)" >&2; rm -f /tmp/send-reading.$$; exit 1 ;;
  esac
  sleep "$attempt"
done
echo "no answer after 5 attempts (last status $status)" >&2
rm -f /tmp/send-reading.$$
exit 2
