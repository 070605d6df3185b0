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
{{- if .Values.mosquitto.enabled -}}
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
{{- with .Values.mqtt.username }}
- name: MQTT_USERNAME
  value: {{ . | quote }}
{{- end }}
{{- if .Values.mqtt.existingSecret }}
- name: MQTT_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.mqtt.existingSecret }}
      key: MQTT_PASSWORD
{{- end }}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: NODE_NAME
  valueFrom:
    fieldRef:
      fieldPath: spec.nodeName
{{- end -}}
