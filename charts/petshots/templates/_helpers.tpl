{{/*
Expand the name of the chart.
*/}}
{{- define "petshots.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
A default fully qualified app name, truncated to 63 characters (DNS names). If the release
name contains the chart name it is used as is.
*/}}
{{- define "petshots.fullname" -}}
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

{{/*
Chart name and version as used by the chart label.
*/}}
{{- define "petshots.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels.
*/}}
{{- define "petshots.labels" -}}
helm.sh/chart: {{ include "petshots.chart" . }}
{{ include "petshots.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: petshots
{{- end }}

{{/*
Selector labels.
*/}}
{{- define "petshots.selectorLabels" -}}
app.kubernetes.io/name: {{ include "petshots.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
A component's names and labels. Call with (dict "root" $ "component" "records").
*/}}
{{- define "petshots.componentName" -}}
{{- printf "%s-%s" (include "petshots.fullname" .root) .component | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "petshots.componentLabels" -}}
{{ include "petshots.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "petshots.componentSelectorLabels" -}}
{{ include "petshots.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
The HTTP services behind the ingress, in the order of the routing table's upstreams.
*/}}
{{- define "petshots.httpComponents" -}}
{{- list "auth" "records" "passport" | toJson }}
{{- end }}

{{/*
A component's image. Call with (dict "root" $ "component" "records"). The tag defaults to the
chart's appVersion; a mutable "latest" tag is refused.
*/}}
{{- define "petshots.image" -}}
{{- $values := index .root.Values .component }}
{{- $image := .root.Values.image }}
{{- $repository := $values.image.repository }}
{{- if not $repository }}
{{- $repository = printf "%s/%s" $image.repositoryPrefix .component }}
{{- if $image.registry }}
{{- $repository = printf "%s/%s" (trimSuffix "/" $image.registry) $repository }}
{{- end }}
{{- end }}
{{- $tag := $values.image.tag | default $image.tag | default .root.Chart.AppVersion | toString }}
{{- if eq $tag "latest" }}
{{- fail (printf "%s: the image tag must be a version, not latest" .component) }}
{{- end }}
{{- printf "%s:%s" $repository $tag }}
{{- end }}

{{/*
A component's ServiceAccount name. Call with (dict "root" $ "component" "records").
*/}}
{{- define "petshots.serviceAccountName" -}}
{{- $sa := (index .root.Values .component).serviceAccount }}
{{- if $sa.create }}
{{- default (include "petshots.componentName" .) $sa.name }}
{{- else }}
{{- default "default" $sa.name }}
{{- end }}
{{- end }}

{{/*
The Secret every pod takes its secret settings from.
*/}}
{{- define "petshots.secretName" -}}
{{- if .Values.secrets.externalSecrets.enabled }}
{{- include "petshots.fullname" . }}
{{- else }}
{{- required "secrets.existingSecret (or secrets.externalSecrets.enabled) is required" .Values.secrets.existingSecret }}
{{- end }}
{{- end }}

{{/*
The Secret the migration hook reads: the hook runs before the release's other objects exist,
so with External Secrets it gets a hook-scoped copy of its own.
*/}}
{{- define "petshots.migrationsSecretName" -}}
{{- if .Values.secrets.externalSecrets.enabled }}
{{- printf "%s-migrations" (include "petshots.fullname" .) }}
{{- else }}
{{- include "petshots.secretName" . }}
{{- end }}
{{- end }}

{{/*
The settings every component gets (the ConfigMap's data): values.config plus the defaults that
depend on the release.
*/}}
{{- define "petshots.configData" -}}
{{- $defaults := dict "PETSHOTS_JWKS_URL" (printf "http://%s:%v/auth/.well-known/jwks.json" (include "petshots.componentName" (dict "root" . "component" "auth")) .Values.auth.port) }}
{{- $data := merge (deepCopy .Values.config) $defaults }}
{{- range $key := keys $data | sortAlpha }}
{{ $key }}: {{ index $data $key | toString | quote }}
{{- end }}
{{- end }}

{{/*
Whether a component runs more than one replica (and so gets a PodDisruptionBudget).
Call with the component's values; prints "true" or nothing.
*/}}
{{- define "petshots.multiReplica" -}}
{{- $autoscaling := .autoscaling | default dict }}
{{- if $autoscaling.enabled }}
{{- if gt (int $autoscaling.minReplicas) 1 }}true{{ end }}
{{- else if gt (int .replicaCount) 1 }}true
{{- end }}
{{- end }}

{{/*
Zone and host spread of a component's pods. Call with (dict "root" $ "component" "records").
*/}}
{{- define "petshots.topologySpread" -}}
{{- $spread := .root.Values.topologySpread }}
{{- if $spread.enabled }}
topologySpreadConstraints:
{{- range $key := list $spread.zoneKey $spread.hostKey }}
  - maxSkew: {{ $spread.maxSkew }}
    topologyKey: {{ $key }}
    whenUnsatisfiable: {{ $spread.whenUnsatisfiable }}
    labelSelector:
      matchLabels:
        {{- include "petshots.componentSelectorLabels" $ | nindent 8 }}
    matchLabelKeys:
      - pod-template-hash
{{- end }}
{{- end }}
{{- end }}

{{/*
Per-component extra environment (values.<component>.env), sorted for stable output.
*/}}
{{- define "petshots.extraEnv" -}}
{{- range $key := keys . | sortAlpha }}
- name: {{ $key }}
  value: {{ index $ $key | toString | quote }}
{{- end }}
{{- end }}
