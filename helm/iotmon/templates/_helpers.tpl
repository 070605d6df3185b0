{{/* Chart name, truncated to the DNS label limit. */}}
{{- define "iotmon.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Fully qualified app name: release-chart, unless the release already contains the chart name. */}}
{{- define "iotmon.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "iotmon.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "iotmon.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels for one component: include with (dict "ctx" . "component" "api"). */}}
{{- define "iotmon.selectorLabels" -}}
app.kubernetes.io/name: {{ include "iotmon.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "iotmon.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "iotmon.secretName" -}}
{{ include "iotmon.fullname" . }}-env
{{- end -}}

{{- define "iotmon.mqttUrl" -}}
{{- if and .Values.mosquitto.enabled .Values.mosquitto.tls.enabled -}}
mqtts://{{ include "iotmon.fullname" . }}-mosquitto:8883
{{- else if .Values.mosquitto.enabled -}}
mqtt://{{ include "iotmon.fullname" . }}-mosquitto:1883
{{- else -}}
{{- required "mqtt.url is required when mosquitto.enabled is false" .Values.mqtt.url -}}
{{- end -}}
{{- end -}}

{{/* Environment shared by every app container. */}}
{{- define "iotmon.commonEnv" -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.database.existingSecret | default (include "iotmon.secretName" .) }}
      key: DATABASE_URL
- name: MQTT_URL
  value: {{ include "iotmon.mqttUrl" . | quote }}
- name: MQTT_SHARED_GROUP
  value: {{ .Values.mqtt.sharedGroup | quote }}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: NODE_NAME
  valueFrom:
    fieldRef:
      fieldPath: spec.nodeName
{{- end -}}


{{- define "iotmon.mqttServicesSecret" -}}
{{ .Values.mosquitto.servicesSecret | default (printf "%s-mqtt-services" (include "iotmon.fullname" .)) }}
{{- end -}}

{{- define "iotmon.mqttTlsSecret" -}}
{{ .Values.mosquitto.tls.secretName | default (printf "%s-mosquitto-tls" (include "iotmon.fullname" .)) }}
{{- end -}}

{{/* Whether the MQTT clients are given a CA file: the chart's broker over TLS, or mqtt.caSecret. */}}
{{- define "iotmon.mqttCaSecret" -}}
{{- if and .Values.mosquitto.enabled .Values.mosquitto.tls.enabled -}}
{{ include "iotmon.mqttTlsSecret" . }}
{{- else if not .Values.mosquitto.enabled -}}
{{ .Values.mqtt.caSecret }}
{{- end -}}
{{- end -}}

{{/* MQTT sign-in and TLS settings of one client: include with (dict "ctx" . "role" "api").
With the chart's Mosquitto each service signs in as svc:<role> with its password from the
services Secret; with an external broker, as mqtt.username with mqtt.existingSecret. */}}
{{- define "iotmon.mqttClientEnv" -}}
{{- $v := .ctx.Values -}}
{{- if $v.mosquitto.enabled }}
- name: MQTT_USERNAME
  value: {{ printf "svc:%s" .role | quote }}
- name: MQTT_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "iotmon.mqttServicesSecret" .ctx }}
      key: {{ printf "MQTT_PASSWORD_%s" (.role | upper | replace "-" "_") }}
{{- else }}
{{- with $v.mqtt.username }}
- name: MQTT_USERNAME
  value: {{ . | quote }}
{{- end }}
{{- if $v.mqtt.existingSecret }}
- name: MQTT_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $v.mqtt.existingSecret }}
      key: MQTT_PASSWORD
{{- end }}
{{- end }}
{{- if include "iotmon.mqttCaSecret" .ctx }}
- name: MQTT_CA_FILE
  value: /etc/iotmon/mqtt-ca/ca.crt
{{- end }}
{{- end -}}

{{- define "iotmon.mqttCaVolumeMount" -}}
{{- if include "iotmon.mqttCaSecret" . }}
volumeMounts:
  - { name: mqtt-ca, mountPath: /etc/iotmon/mqtt-ca, readOnly: true }
{{- end }}
{{- end -}}

{{/* Only ca.crt of the Secret is mounted: the clients never see the broker's key. */}}
{{- define "iotmon.mqttCaVolume" -}}
{{- with include "iotmon.mqttCaSecret" . }}
volumes:
  - name: mqtt-ca
    secret:
      secretName: {{ . }}
      items:
        - { key: ca.crt, path: ca.crt }
{{- end }}
{{- end -}}

{{/*
The HTTP identity every app shares: the admin key and the access-token secret (so a user
signed in on one app is accepted by the others). The Gin-compatible routes stay closed.
*/}}
{{- define "iotmon.authEnv" -}}
{{- $secret := .Values.auth.existingSecret | default (include "iotmon.secretName" .) -}}
{{- range $key := list "ADMIN_API_KEY" "AUTH_JWT_SECRET" }}
- name: {{ $key }}
  valueFrom:
    secretKeyRef: { name: {{ $secret }}, key: {{ $key }} }
{{- end }}
- name: GIN_ROUTES_OPEN
  value: "false"
# Behind the ingress: the client address is the proxy's X-Forwarded-For, cookies https-only.
- name: TRUST_PROXY
  value: {{ .Values.auth.trustProxy | quote }}
- name: AUTH_COOKIE_SECURE
  value: {{ .Values.auth.cookieSecure | quote }}
{{- end -}}
