{{/* Chart name, truncated to the 63 characters Kubernetes allows in names and labels. */}}
{{- define "dxa.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "dxa.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "dxa.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "dxa.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "dxa.selectorLabels" -}}
app.kubernetes.io/name: {{ include "dxa.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "dxa.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* The bundled Redis runs only when no Redis URL is given, neither in values nor in the Secret. */}}
{{- define "dxa.redis.bundled" -}}
{{- if and (not .Values.redis.external.url) (not (hasKey .Values.secrets.keys "REDIS_URL")) }}true{{ end }}
{{- end }}

{{- define "dxa.redis.host" -}}
{{- printf "%s-redis" (include "dxa.fullname" .) }}
{{- end }}

{{/* Environment shared by the gateway and every worker. Secrets only through secretKeyRef. */}}
{{- define "dxa.env.common" -}}
- name: DXA_CONFIG
  value: /etc/dxa/config.toml
# The servers bind server.host; the product default 127.0.0.1 would hide them from probes and Services.
- name: DXA_HOST
  value: "0.0.0.0"
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
- name: DXA_REDIS_PREFIX
  value: {{ .Values.redis.prefix | quote }}
{{- if and .Values.redis.external.url (hasKey .Values.secrets.keys "REDIS_URL") }}
{{- fail "set either redis.external.url or secrets.keys.REDIS_URL, not both" }}
{{- end }}
{{- if .Values.redis.external.url }}
- name: REDIS_URL
  value: {{ .Values.redis.external.url | quote }}
{{- else if include "dxa.redis.bundled" . }}
- name: REDIS_URL
  value: {{ printf "redis://%s:6379" (include "dxa.redis.host" .) | quote }}
{{- end }}
{{- range $name, $value := .Values.env }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- $secret := .Values.secrets.existingSecret }}
{{- if and .Values.secrets.keys (not $secret) }}
{{- fail "secrets.keys needs secrets.existingSecret: the name of the Secret holding those keys" }}
{{- end }}
{{- range $name, $key := .Values.secrets.keys }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $key }}
{{- end }}
{{- end }}

{{- define "dxa.configVolume" -}}
- name: config
  configMap:
    name: {{ include "dxa.fullname" . }}-config
{{- end }}

{{- define "dxa.configMount" -}}
- name: config
  mountPath: /etc/dxa
  readOnly: true
{{- end }}
